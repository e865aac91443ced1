import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from './lib/env';
import { contentSecurityPolicy, strictTransportSecurity } from './lib/http/security-headers';

const signedInOnly = ['/dashboard', '/teams', '/billing', '/activity', '/checkout', '/account', '/confirm-email'];
const isSignedInOnly = (path: string) => signedInOnly.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/**
 * Runs before every page, at request time:
 * - sends signed-out visitors of signed-in pages to sign in and back (a cheap cookie check, not the
 *   authorization: every page and action verifies the session itself);
 * - gives the page a fresh script nonce: Next.js reads it from the request's Content-Security-Policy
 *   and puts it on its own scripts, so only those run;
 * - adds HSTS when the app is on https (next.config.ts headers are fixed at build time, when
 *   APP_URL may not be known).
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const env = getEnv();
  let response: NextResponse;
  const csp = contentSecurityPolicy({ nonce: btoa(crypto.randomUUID()), development: env.development });
  if (isSignedInOnly(pathname) && !getSessionCookie(request)) {
    const url = new URL('/sign-in', request.url);
    url.searchParams.set('next', `${pathname}${search}`);
    response = NextResponse.redirect(url);
  } else {
    const headers = new Headers(request.headers);
    headers.set('Content-Security-Policy', csp);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set('Content-Security-Policy', csp);
  if (env.appUrl.startsWith('https:')) response.headers.set('Strict-Transport-Security', strictTransportSecurity);
  return response;
}

// Pages only: not route handlers (the webhook, health), not static assets, and not server action
// calls (POSTs with a Next-Action header: their answers are data, not pages, and every action
// checks the session itself).
export const config = {
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon.ico).*)', missing: [{ type: 'header', key: 'next-action' }] }],
};
