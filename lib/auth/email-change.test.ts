import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db';
import { createTestDb } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { createMailer, listOutbox, type Mailer } from '../mail/mail';
import { createAuth, type Auth } from './auth';
import { confirmEmailChange, requestEmailChange } from './email-change';

const PASSWORD = 'correct horse battery';
let db: Db;
let auth: Auth;
let now: number;
let session: Headers;
let sendMail: Mailer;
let userId: string;

/** Signs in `email` and returns headers carrying its session cookie, as a browser would send them. */
async function signedIn(email: string): Promise<Headers> {
  const response = await auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return new Headers({ cookie });
}

beforeEach(async () => {
  db = await createTestDb();
  auth = createAuth(db, {
    baseURL: 'http://localhost:3000',
    secret: 'test-secret-for-email-change-00000000',
    sendMail: (sendMail = createMailer(db, { smtpUrl: null, from: 'T <t@example.com>' })),
  });
  userId = (await auth.api.signUpEmail({ body: { name: 'Owner', email: 'owner@example.com', password: PASSWORD } })).user.id;
  await auth.api.signUpEmail({ body: { name: 'Other', email: 'other@example.com', password: PASSWORD } });
  session = await signedIn('owner@example.com');
  now = Date.now();
});

const tokenMailedTo = (email: string) =>
  vi.waitFor(async () => {
    const [mail] = await listOutbox(db, { to: email });
    return decodeURIComponent(/confirm-email\?token=(\S+)/.exec(mail!.text)![1]!);
  });

/** The account's email, as its session reads it. */
const email = async () => (await auth.api.getSession({ headers: session }))!.user.email;

/** The owner, signed in, asks to move to `newEmail` (with the right password unless told otherwise). */
const ownerAsks = (newEmail: string, currentPassword = PASSWORD) =>
  requestEmailChange({ auth, db, sendMail }, session, { userId, email: 'owner@example.com', currentPassword, newEmail }, now);

describe('email change', () => {
  it('mails a link to the new address; the email changes only when it is followed, and the link works once', async () => {
    await ownerAsks('new@example.com');
    const token = await tokenMailedTo('new@example.com');
    expect(await email()).toBe('owner@example.com'); // nothing yet

    const [notice] = await vi.waitFor(async () => {
      const mails = await listOutbox(db, { to: 'owner@example.com' });
      expect(mails).toHaveLength(1);
      return mails;
    });
    expect(notice).toMatchObject({ subject: 'Your Tally email is about to change' });
    expect(notice!.text).toContain('asked to use new@example.com instead of owner@example.com');

    await confirmEmailChange(auth, session, token);
    expect(await email()).toBe('new@example.com');
    expect(await auth.api.signInEmail({ body: { email: 'new@example.com', password: PASSWORD } })).toBeTruthy();
    expect(await errorCode(() => confirmEmailChange(auth, session, token))).toBe('invalid_input');
  });

  it('asks for the current password first, and mails nothing without it', async () => {
    const wrong = () => ownerAsks('new@example.com', 'not my password');
    expect(await errorCode(wrong)).toBe('invalid_credentials');
    expect(await listOutbox(db, { to: 'new@example.com' })).toEqual([]);
  });

  it('answers the same for an address another account has, and mails nothing to it', async () => {
    await ownerAsks('other@example.com');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await listOutbox(db, { to: 'other@example.com' })).toEqual([]);
  });

  it('refuses a link followed in another account’s session, and a forged one', async () => {
    await ownerAsks('new@example.com');
    const token = await tokenMailedTo('new@example.com');
    const other = await signedIn('other@example.com');
    expect(await errorCode(() => confirmEmailChange(auth, other, token))).toBe('invalid_input');
    expect(await errorCode(() => confirmEmailChange(auth, session, `${token}x`))).toBe('invalid_input');
    expect(await email()).toBe('owner@example.com');
  });

  it('spaces out confirmation mails per account, and per address mailed, after a few', async () => {
    for (let i = 0; i < 3; i++) await ownerAsks(`new${i}@example.com`);
    expect(await errorCode(() => ownerAsks('new9@example.com'))).toBe('rate_limited');
    // Another account cannot go on mailing the same address either.
    const other = await signedIn('other@example.com');
    const otherId = (await auth.api.getSession({ headers: other }))!.user.id;
    const toTarget = (headers: Headers, id: string, email: string) =>
      requestEmailChange(
        { auth, db, sendMail },
        headers,
        { userId: id, email, currentPassword: PASSWORD, newEmail: 'target@example.com' },
        now + 86_400_000 * 2,
      );
    await toTarget(session, userId, 'owner@example.com');
    await toTarget(other, otherId, 'other@example.com');
    await toTarget(other, otherId, 'other@example.com');
    expect(await errorCode(() => toTarget(other, otherId, 'other@example.com'))).toBe('rate_limited');
  });
});
