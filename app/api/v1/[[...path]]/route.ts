import { unknownEndpoint } from '@/lib/rest/known-error';

/**
 * Every /api/v1 path no endpoint answers: a JSON 404 in the API's known-error format instead of
 * the HTML not-found page (the endpoints' own routes are more specific, so Next.js picks them
 * first). Nothing is authenticated or read: the answer is the same for every caller.
 */
function notFound(request: Request): Response {
  return unknownEndpoint(request.method, new URL(request.url).pathname).toResponse();
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
