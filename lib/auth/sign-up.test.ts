import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { createAuth, type Auth } from './auth';
import { verifyDeviceToken } from './known-device';
import { signUpWithPassword } from './sign-up';

const SECRET = 'test-secret-for-sign-up-00000000000000';
let db: Db;
let auth: Auth;
let now: number;

beforeEach(async () => {
  db = await createTestDb();
  auth = createAuth(db, { baseURL: 'http://localhost:3000', secret: SECRET });
  now = Date.UTC(2026, 10, 1);
});

const signUp = (email: string, clientAddress: string | null) =>
  signUpWithPassword(
    { auth, db, now: () => now, secret: SECRET },
    { name: 'Someone', email, password: 'correct horse battery', clientAddress, headers: new Headers() },
  );

describe('sign-up', () => {
  it('creates the account and returns a known-device token for it', async () => {
    const { deviceToken } = await signUp('new@example.com', null);
    expect(verifyDeviceToken(SECRET, 'new@example.com', deviceToken)).not.toBeNull();
    expect(await errorCode(() => signUp('new@example.com', null))).toBe('email_taken');
  });

  it('is limited per client address: 10 attempts, created or taken alike, then the same wait for every email', async () => {
    await signUp('owner@example.com', null);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await errorCode(() => signUp(i % 2 ? 'owner@example.com' : `fresh${i}@example.com`, '203.0.113.7')));
    expect(answers).toEqual(['ok', 'email_taken', 'ok', 'email_taken', 'ok', 'email_taken', 'ok', 'email_taken', 'ok', 'email_taken']);
    // Now an existing email and a new one get the same answer: whether an account exists is not told.
    expect(await errorCode(() => signUp('owner@example.com', '203.0.113.7'))).toBe('rate_limited');
    expect(await errorCode(() => signUp('another@example.com', '203.0.113.7'))).toBe('rate_limited');
    expect(await errorCode(() => signUp('another@example.com', '198.51.100.1'))).toBe('ok'); // other addresses are not held up
    now += 60 * 60_000; // an hour at most
    expect(await errorCode(() => signUp('later@example.com', '203.0.113.7'))).toBe('ok');
  });
});
