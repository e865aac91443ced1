import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb } from '../../db/testing';
import { createAuth, type Auth } from './auth';
import { toAuthError } from './auth-errors';
import { signInWithPassword } from './sign-in';

const PASSWORD = 'correct horse battery';
let db: Db;
let auth: Auth;
const clock = { now: Date.UTC(2026, 0, 1) };

beforeEach(async () => {
  db = await createTestDb();
  auth = createAuth(db, { baseURL: 'http://localhost:3000', secret: SECRET });
  await auth.api.signUpEmail({ body: { name: 'Owner', email: 'owner@example.com', password: PASSWORD } });
  clock.now = Date.UTC(2026, 0, 1);
});

const SECRET = 'test-secret-for-sign-in-limits-0000000';

/** The message the form would show, or 'signed in' (and the browser's known-device token). */
async function signInAs(email: string, password: string, clientAddress: string | null = null, deviceToken?: string) {
  try {
    const result = await signInWithPassword(
      { auth, db, now: () => clock.now, secret: SECRET },
      { email, password, clientAddress, deviceToken, headers: new Headers() },
    );
    return { message: 'signed in', deviceToken: result.deviceToken };
  } catch (error) {
    return { message: (error as Error).message, deviceToken };
  }
}
const attempt = async (email: string, password: string, clientAddress: string | null = null, deviceToken?: string) =>
  (await signInAs(email, password, clientAddress, deviceToken)).message;

const seconds = (s: number) => (clock.now += s * 1000);

describe('sign-in limits', () => {
  it('delays guesses progressively, even with the right password, and never locks the owner out for long', async () => {
    for (let i = 0; i < 5; i++) expect(await attempt('owner@example.com', 'wrong password')).toBe('Wrong email or password.');
    expect(await attempt('owner@example.com', PASSWORD)).toBe('Too many attempts. Try again in 1 second.');
    seconds(1);
    expect(await attempt('owner@example.com', 'wrong password')).toBe('Wrong email or password.');
    expect(await attempt('owner@example.com', 'wrong password')).toBe('Too many attempts. Try again in 2 seconds.');
    // 30 more guesses, each as soon as allowed: the wait doubles up to its cap of 5 minutes, never beyond
    let waited = 0;
    for (let i = 0; i < 30; i++) {
      const message = await attempt('owner@example.com', 'wrong password');
      const wait = Number(/in (\d+) second/.exec(message)?.[1]);
      expect(wait).toBeLessThanOrEqual(300);
      seconds(wait);
      waited += wait;
      expect(await attempt('owner@example.com', 'wrong password')).toBe('Wrong email or password.');
    }
    expect(waited).toBeGreaterThan(30 * 60); // 30 guesses cost the guesser over half an hour
    expect(await attempt('owner@example.com', PASSWORD)).toBe('Too many attempts. Try again in 300 seconds.');
    seconds(300);
    expect(await attempt('owner@example.com', PASSWORD)).toBe('signed in');
    // success forgets the failures
    expect(await attempt('owner@example.com', 'wrong password')).toBe('Wrong email or password.');
    expect(await attempt('owner@example.com', PASSWORD)).toBe('signed in');
  }, 60_000);

  it('lets only the free attempts of 100 parallel guesses reach the password check', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, () => attempt('owner@example.com', 'wrong password')));
    expect(results.filter((r) => r === 'Wrong email or password.')).toHaveLength(5);
    expect(results.filter((r) => r.startsWith('Too many attempts.'))).toHaveLength(95);
    expect(await attempt('owner@example.com', PASSWORD)).toMatch(/^Too many attempts/);
  }, 30_000);

  it('answers an unknown email exactly as an existing one, so the limit reveals no account', async () => {
    const sequence = async (email: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) out.push(await attempt(email, 'wrong password'));
      return out;
    };
    const known = await sequence('owner@example.com');
    clock.now += 1; // same offsets from the start for the second sequence
    const unknown = await sequence('nobody@example.com');
    expect(unknown).toEqual(known);
  }, 30_000);

  it('never delays the owner’s known browser, however long a guesser keeps the account delayed', async () => {
    const { deviceToken } = await signInAs('owner@example.com', PASSWORD);
    expect(deviceToken).toMatch(/^[\w-]+\.[\w-]+$/);
    for (let minute = 0; minute < 60; minute++) {
      // the guesser tries whenever allowed, for an hour
      for (let i = 0; i < 6; i++) await attempt('owner@example.com', 'wrong password');
      expect(await attempt('owner@example.com', PASSWORD)).toMatch(/^Too many attempts/); // a new browser waits
      expect(await attempt('owner@example.com', PASSWORD, null, deviceToken)).toBe('signed in');
      seconds(60);
    }
    // the token is bound to its account: for another email it is no token at all
    await auth.api.signUpEmail({ body: { name: 'Other', email: 'other@example.com', password: PASSWORD } });
    for (let i = 0; i < 6; i++) await attempt('other@example.com', 'wrong password');
    expect(await attempt('other@example.com', PASSWORD, null, deviceToken)).toMatch(/^Too many attempts/);
    expect(await attempt('owner@example.com', PASSWORD, null, `${deviceToken!.split('.')[0]}.forged`)).toMatch(/^Too many attempts/);
    // the known browser is limited too when it guesses itself
    for (let i = 0; i < 5; i++) expect(await attempt('owner@example.com', 'wrong password', null, deviceToken)).toBe('Wrong email or password.');
    expect(await attempt('owner@example.com', PASSWORD, null, deviceToken)).toBe('Too many attempts. Try again in 1 second.');
  }, 60_000);

  it('never adds up the successful sign-ins of people behind one trusted address', async () => {
    for (let i = 0; i < 30; i++) await auth.api.signUpEmail({ body: { name: `User ${i}`, email: `user${i}@example.com`, password: PASSWORD } });
    for (let i = 0; i < 30; i++) {
      expect(await attempt(`user${i}@example.com`, PASSWORD, '198.51.100.7')).toBe('signed in');
      seconds(1);
    }
  }, 30_000);

  it('limits a client address only when a trusted proxy supplied it', async () => {
    for (let i = 0; i < 25; i++) await attempt(`user${i}@example.com`, 'wrong password', null);
    expect(await attempt('owner@example.com', PASSWORD, null)).toBe('signed in');
    for (let i = 0; i < 20; i++) await attempt(`user${i}@example.com`, 'wrong password', '198.51.100.7');
    expect(await attempt('owner@example.com', PASSWORD, '198.51.100.7')).toBe('Too many attempts. Try again in 1 second.');
    expect(await attempt('owner@example.com', PASSWORD, '203.0.113.9')).toBe('signed in');
  }, 30_000);
});

describe('auth error messages, from the library’s real errors', () => {
  const messageOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    const mapped = toAuthError(error) as { code?: string; message?: string };
    return [mapped.code, mapped.message];
  };

  it('maps wrong password, duplicate email, weak and overlong passwords', async () => {
    expect(await messageOf(auth.api.signInEmail({ body: { email: 'owner@example.com', password: 'nope-nope' } }))).toEqual([
      'invalid_credentials',
      'Wrong email or password.',
    ]);
    expect(await messageOf(auth.api.signInEmail({ body: { email: 'nobody@example.com', password: 'nope-nope' } }))).toEqual([
      'invalid_credentials',
      'Wrong email or password.',
    ]);
    expect(await messageOf(auth.api.signUpEmail({ body: { name: 'Again', email: 'owner@example.com', password: 'another password' } }))).toEqual([
      'email_taken',
      'An account with this email already exists. Sign in instead.',
    ]);
    expect(await messageOf(auth.api.signUpEmail({ body: { name: 'Weak', email: 'weak@example.com', password: 'short' } }))).toEqual([
      'invalid_input',
      'Use at least 8 characters for your password.',
    ]);
    expect(await messageOf(auth.api.signUpEmail({ body: { name: 'Long', email: 'long@example.com', password: 'x'.repeat(200) } }))).toEqual([
      'invalid_input',
      'Use at most 128 characters for your password.',
    ]);
  }, 30_000);

  it('leaves errors that are not the library’s untouched', () => {
    const bug = new TypeError('bug');
    expect(toAuthError(bug)).toBe(bug);
  });
});
