import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';

/**
 * A cheap cookie check that sends signed-out visitors to sign in and back. It is not the
 * authorization: every page and action still verifies the session itself.
 */
export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const url = new URL('/sign-in', request.url);
  url.searchParams.set('next', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(url);
}

export const config = { matcher: ['/dashboard/:path*', '/teams/:path*', '/pricing/:path*', '/billing/:path*', '/activity/:path*', '/checkout/:path*'] };
