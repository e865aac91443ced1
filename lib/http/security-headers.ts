/**
 * The app's Content-Security-Policy. No page may be framed (checkout and billing above all), no
 * plugins, no `<base>` rewrites, forms post only to the app. Pages also get `script-src` with a
 * per-request nonce (Next.js puts it on its own inline scripts), so an injected script never runs;
 * responses without a nonce (route handlers, static files) get the rest.
 */
export function contentSecurityPolicy({ nonce, development }: { nonce?: string; development?: boolean } = {}): string {
  const directives = ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"];
  // React's development build evaluates code for its debugging tools; production never does.
  // No 'strict-dynamic': it would also trust any script element created at run time.
  if (nonce) directives.push(`script-src 'self' 'nonce-${nonce}'${development ? " 'unsafe-eval'" : ''}`);
  return directives.join('; ');
}

/** On every response (next.config.ts); pages get the nonce policy and, on https, HSTS from proxy.ts at request time. */
export const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Content-Type-Options': 'nosniff',
};

export const strictTransportSecurity = 'max-age=63072000; includeSubDomains';
