import { AppError } from '../errors';

/**
 * An error of the server REST API in Stack Auth's known-error shape: `{ code, error, details? }`,
 * with the code also in `x-tally-known-error`.
 */
export class KnownError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** An AppError of the payments core in the API's shape: its code in upper case, its status, its message. */
export function toKnownError(error: unknown): KnownError | null {
  if (error instanceof KnownError) return error;
  if (error instanceof AppError) return new KnownError(error.status, error.code === 'invalid_input' ? 'SCHEMA_ERROR' : error.code.toUpperCase(), error.message);
  return null;
}

/** The HTTP answer of a known error (503s say when to retry). */
export function knownErrorResponse(error: KnownError): Response {
  return Response.json(
    { code: error.code, error: error.message, ...(error.details ? { details: error.details } : {}) },
    { status: error.status, headers: { 'x-tally-known-error': error.code, ...(error.status === 503 ? { 'Retry-After': '5' } : {}) } },
  );
}

/** A path no endpoint of the API answers (`app/api/v1/[...path]`). */
export function unknownEndpoint(method: string, pathname: string): KnownError {
  return new KnownError(404, 'NOT_FOUND', `There is no endpoint ${method} ${pathname}. The API's endpoints are listed at /api/v1/openapi.json.`, {
    method,
    path: pathname,
  });
}

/** A path with a `%` that starts no valid escape (`%ZZ`), refused before routing (proxy.ts). */
export function malformedPath(): KnownError {
  return new KnownError(
    400,
    'MALFORMED_PATH',
    'The path has a malformed percent-escape: encode "%" as "%25" and other reserved characters with encodeURIComponent.',
  );
}
