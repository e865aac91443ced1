import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db';
import { createTestDb } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { createMailer, listOutbox } from '../mail/mail';
import { createAuth, type Auth } from './auth';
import { requestPasswordReset, resetPassword } from './password-reset';

const PASSWORD = 'correct horse battery';
let db: Db;
let auth: Auth;
let now: number;

beforeEach(async () => {
  db = await createTestDb();
  auth = createAuth(db, {
    baseURL: 'http://localhost:3000',
    secret: 'test-secret-for-password-reset-000000',
    sendMail: createMailer(db, { smtpUrl: null, from: 'T <t@example.com>' }),
  });
  await auth.api.signUpEmail({ body: { name: 'Owner', email: 'owner@example.com', password: PASSWORD } });
  now = Date.now();
});

/** The token of the newest reset mail to `email` (the mail is sent without holding up the answer). */
const tokenMailedTo = (email: string) =>
  vi.waitFor(async () => {
    const [mail] = await listOutbox(db, { to: email });
    return decodeURIComponent(/reset-password\?token=(\S+)/.exec(mail!.text)![1]!);
  });

const signsIn = (password: string) =>
  auth.api.signInEmail({ body: { email: 'owner@example.com', password } }).then(
    () => true,
    () => false,
  );

describe('password reset', () => {
  it("mails a link to the app's page; the new password works once, the old one no longer", async () => {
    await requestPasswordReset({ auth, db }, 'owner@example.com', now);
    const token = await tokenMailedTo('owner@example.com');
    const [mail] = await listOutbox(db, { to: 'owner@example.com' });
    expect(mail).toMatchObject({ subject: 'Reset your Tally password' });
    expect(mail!.text).toContain('http://localhost:3000/reset-password?token=');
    await resetPassword(auth, token, 'a brand new password');
    expect(await signsIn('a brand new password')).toBe(true);
    expect(await signsIn(PASSWORD)).toBe(false);
    expect(await errorCode(() => resetPassword(auth, token, 'yet another password'))).toBe('invalid_input');
  });

  it('answers the same for an email without an account, and mails nothing', async () => {
    await requestPasswordReset({ auth, db }, 'nobody@example.com', now);
    expect(await listOutbox(db)).toEqual([]);
  });

  it('refuses made-up tokens and short passwords', async () => {
    expect(await errorCode(() => resetPassword(auth, 'made-up-token', 'a brand new password'))).toBe('invalid_input');
    await requestPasswordReset({ auth, db }, 'owner@example.com', now);
    expect(await errorCode(async () => resetPassword(auth, await tokenMailedTo('owner@example.com'), 'short'))).toBe('invalid_input');
  });

  it('sends a few mails per address, then spaces them out, for addresses with and without accounts alike', async () => {
    for (const email of ['owner@example.com', 'nobody@example.com']) {
      for (let i = 0; i < 3; i++) await requestPasswordReset({ auth, db }, email, now);
      expect(await errorCode(() => requestPasswordReset({ auth, db }, email, now))).toBe('rate_limited');
    }
    await vi.waitFor(async () => expect(await listOutbox(db)).toHaveLength(3));
  });
});
