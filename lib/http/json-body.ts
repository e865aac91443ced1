/**
 * Whether a request body is declared as JSON: `application/json`, in any case, with parameters
 * allowed but a charset, if any, only UTF-8 (the body is read as UTF-8). A body sent as
 * `text/plain` or without a Content-Type is not JSON, even when it parses as JSON: a browser form
 * can send those cross-site without a preflight.
 */
export function isJsonContentType(header: string | null | undefined): boolean {
  const [mediaType = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, value] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || value?.replace(/^"|"$/g, '') === 'utf-8';
  });
}
