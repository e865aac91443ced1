import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from './lib/env';
import { contentSecurityPolicy, strictTransportSecurity } from './lib/http/security-headers';
import { malformedPath } from './lib/rest/known-error';

const signedInOnly = ['/dashboard', '/teams', '/billing', '/activity', '/checkout', '/account', '/confirm-email'];
const isSignedInOnly = (path: string) => signedInOnly.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/** A `%` that starts no valid UTF-8 escape (`/a%ZZb`, `/a%E0`): Next.js would fail decoding the route's params with a 500. */
function hasMalformedEscape(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** A plain 400 for a path nothing can decode: JSON in the REST API's known-error format under /api/v1. */
function malformedPathResponse(path: string): Response {
  if (path === '/api/v1' || path.startsWith('/api/v1/')) return malformedPath().toResponse();
  return new Response('Bad request: the address has a malformed percent-escape ("%" must be followed by two hex digits).\n', {
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** Route handlers, assets and server action calls: the proxy only screens their paths (see config). */
const isPage = (request: NextRequest, path: string) => !/^\/(api|_next)\//.test(path) && path !== '/favicon.ico' && !request.headers.has('next-action');

/**
 * Runs before every page, at request time:
 * - answers 400 for a path with a malformed percent-escape (any path with a `%`, API routes
 *   included), before Next.js routes it;
 * - sends signed-out visitors of signed-in pages to sign in and back (a cheap cookie check, not the
 *   authorization: every page and action verifies the session itself);
 * - gives the page a fresh script nonce: Next.js reads it from the request's Content-Security-Policy
 *   and puts it on its own scripts, so only those run;
 * - adds HSTS when the app is on https (next.config.ts headers are fixed at build time, when
 *   APP_URL may not be known).
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.includes('%')) {
    if (hasMalformedEscape(pathname)) return malformedPathResponse(pathname);
    if (!isPage(request, pathname)) return NextResponse.next();
  }
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
// checks the session itself). And any path with a `%`, to refuse malformed escapes: the metered
// API and the webhook (no `%` in their paths) never pay for the proxy.
export const config = {
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon.ico).*)', missing: [{ type: 'header', key: 'next-action' }] }, { source: '/:path(.*%.*)' }],
};
