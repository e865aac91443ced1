/**
 * The credentials of an `Authorization: Bearer <token>` header, or null. The scheme is
 * case-insensitive (RFC 9110 §11.1: `bearer`, `BEARER` and `Bearer` are the same scheme) and
 * may be followed by more than one space; the token is one run of non-space characters.
 */
export function bearerToken(header: string | null | undefined): string | null {
  return /^bearer +(\S+) *$/i.exec(header ?? '')?.[1] ?? null;
}
