import 'server-only';
import { getSessionCookie } from 'better-auth/cookies';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getAuth } from '@/lib/auth';
import { createSessionMemo } from '@/lib/auth/session-memo';
import { systemClock } from '@/lib/clock';

export type SessionUser = { id: string; name: string; email: string };

// One per server process. 10 s: a signed-out cookie is refused at once here, within 10 s elsewhere.
const registry = globalThis as { tallySessionMemo?: ReturnType<typeof createSessionMemo<SessionUser>> };
const memo = (registry.tallySessionMemo ??= createSessionMemo<SessionUser>({ ttlMs: 10_000, maxEntries: 10_000, clock: systemClock }));

/** One session lookup per request, however many components ask; verified ones are remembered briefly (lib/auth/session-memo.ts). */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const requestHeaders = await headers();
  const token = getSessionCookie(requestHeaders);
  if (!token) return null;
  const remembered = memo.get(token);
  if (remembered) return remembered;
  const generation = memo.generation;
  const session = await getAuth().api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const { id, name, email } = session.user;
  memo.set(token, { id, name, email }, session.session.expiresAt.getTime(), generation);
  return { id, name, email };
});

/** Sign-out: this server stops accepting the session's cookie at once. */
export async function forgetSession(): Promise<void> {
  const token = getSessionCookie(await headers());
  if (token) memo.forget(token);
}

/** A password reset revoked an account's sessions: this server stops accepting any remembered one. */
export function forgetAllSessions(): void {
  memo.clear();
}

/**
 * A password change signed out the account's other sessions: this server forgets every session it
 * remembered but the one making the change. Its cookie is replaced in this very response, while
 * the page the action renders still reads the old one.
 */
export async function forgetOtherSessions(current: SessionUser): Promise<void> {
  const token = getSessionCookie(await headers());
  memo.clear();
  if (token) memo.set(token, current, Number.POSITIVE_INFINITY);
}

export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect('/sign-in');
  return user;
}
