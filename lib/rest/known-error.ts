import { AppError } from '../errors';

/** A path no endpoint of the API answers (`app/api/v1/[...path]`). */
export function unknownEndpoint(method: string, pathname: string): AppError {
  return new AppError('not_found', `There is no endpoint ${method} ${pathname}. The API's endpoints are listed at /api/v1/openapi.json.`, {
    method,
    path: pathname,
  });
}

/** A path with a `%` that starts no valid escape (`%ZZ`), refused before routing (proxy.ts). */
export function malformedPath(): AppError {
  return new AppError('malformed_path', 'The path has a malformed percent-escape: encode "%" as "%25" and other reserved characters with encodeURIComponent.');
}
