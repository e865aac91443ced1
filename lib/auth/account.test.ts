import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { changePassword, confirmPassword } from './account';
import { createAuth, type Auth } from './auth';
import { createSessionMemo } from './session-memo';

const PASSWORD = 'correct horse battery';
let db: Db;
let auth: Auth;
let userId: string;
let session: Headers;
const now = Date.UTC(2026, 10, 1);

/** Signs in and returns headers carrying the session cookie, as a browser would send them. */
async function signedIn(password = PASSWORD): Promise<Headers> {
  const response = await auth.api.signInEmail({ body: { email: 'owner@example.com', password }, asResponse: true });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return new Headers({ cookie });
}

const signsIn = (password: string) =>
  auth.api.signInEmail({ body: { email: 'owner@example.com', password } }).then(
    () => true,
    () => false,
  );

beforeEach(async () => {
  db = await createTestDb();
  auth = createAuth(db, { baseURL: 'http://localhost:3000', secret: 'test-secret-for-account-0000000000000' });
  userId = (await auth.api.signUpEmail({ body: { name: 'Owner', email: 'owner@example.com', password: PASSWORD } })).user.id;
  session = await signedIn();
});

const change = (currentPassword: string, newPassword: string, forgetSessions = () => {}) =>
  changePassword({ auth, db, forgetSessions }, session, { userId, currentPassword, newPassword }, now);

describe('changing the password', () => {
  it('limits guesses of the current password like confirmPassword: after 5 wrong ones even the right one waits', async () => {
    for (let i = 0; i < 5; i++) expect(await errorCode(() => change(`guess ${i}`, 'a new password 1'))).toBe('invalid_credentials');
    expect(await errorCode(() => change(PASSWORD, 'a new password 1'))).toBe('rate_limited');
    expect(await signsIn(PASSWORD)).toBe(true); // unchanged
    // One count per account, whichever form asks: the email change and deletions wait too.
    expect(await errorCode(() => confirmPassword({ auth, db }, session, userId, PASSWORD, now))).toBe('rate_limited');
    // Five minutes at most: then the right password works.
    await changePassword(
      { auth, db, forgetSessions: () => {} },
      session,
      { userId, currentPassword: PASSWORD, newPassword: 'a new password 1' },
      now + 5 * 60_000,
    );
    expect(await signsIn('a new password 1')).toBe(true);
  });

  it('signs out the other sessions, and this server forgets every session it remembered at once', async () => {
    const other = await signedIn();
    const memo = createSessionMemo<string>({ ttlMs: 10_000, maxEntries: 10, clock: () => now });
    memo.set('other-cookie', userId, now + 60_000);

    expect(await errorCode(() => change('not my password', 'a new password 1', () => memo.clear()))).toBe('invalid_credentials');
    expect(memo.get('other-cookie')).toBe(userId); // nothing changed, nothing forgotten

    await change(PASSWORD, 'a new password 1', () => memo.clear());
    expect(memo.get('other-cookie')).toBeUndefined();
    expect(await auth.api.getSession({ headers: other })).toBeNull();
    expect(await signsIn('a new password 1')).toBe(true);
  });
});
