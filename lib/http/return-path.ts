/** Longer than any page of the app with its query; anything longer is refused, not truncated. */
const MAX_LENGTH = 2000;

/**
 * The one guard for every "where to go next" value (`next=`, a checkout's `returnUrl`). Returns a
 * same-app path (`/billing?x=1`) or null. Browsers forgive what `new URL` does not: they drop tabs and
 * newlines and read `\` as `/`, so `/\t/evil.example` becomes `//evil.example`; such characters are
 * refused outright, and the candidate must resolve to the app's own origin over http(s).
 */
export function resolveReturnPath(value: unknown, appUrl: string): string | null {
  if (typeof value !== 'string' || value === '' || value.length > MAX_LENGTH) return null;
  // Control characters (C0, DEL, C1) and backslashes, raw; encoded ones (%09) stay inert inside a path.
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, appUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.origin !== new URL(appUrl).origin || url.username || url.password) return null;
  // `https://app//evil.example` has the app's origin but its path would be read as a new host.
  if (url.pathname.startsWith('//')) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** For navigation parameters: an unsafe value falls back silently to the default page. */
export function safeReturnPath(value: unknown, appUrl: string, fallback = '/dashboard'): string {
  return resolveReturnPath(value, appUrl) ?? fallback;
}
