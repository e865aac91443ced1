/**
 * The client's address as a trusted proxy reports it, or null. Without a configured header every
 * forwarding header is the client's own word (plain `next start` passes `X-Forwarded-For` through),
 * so nothing may be keyed on it. A proxy appends the address it saw to `X-Forwarded-For`: with one
 * trusted proxy in front, the last entry is the only one the client did not write.
 */
export function clientAddress(headers: Headers, trustedHeader: string | null): string | null {
  if (!trustedHeader) return null;
  const last = headers.get(trustedHeader)?.split(',').at(-1)?.trim();
  return last ? last.slice(0, 64) : null;
}
