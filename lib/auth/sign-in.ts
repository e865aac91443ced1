import type { Db } from '../../db';
import { AppError } from '../errors';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';
import { issueDeviceToken, verifyDeviceToken } from './known-device';
import { admitSignInAttempt, recordSignInSuccess, type ThrottleKey } from './sign-in-throttle';

export type SignInDeps = { auth: Auth; db: Db; now: () => number; secret: string };

export type SignInAttempt = {
  email: string;
  password: string;
  /** From a trusted proxy header only, else null (./sign-in-throttle.ts). */
  clientAddress: string | null;
  /** The browser's known-device cookie, if any (./known-device.ts). */
  deviceToken: string | undefined;
  headers: Headers;
};

/**
 * Email and password sign-in under the attempt limits: per account, or per known device when the
 * browser signed in to this account before; per client address only when one can be trusted.
 * The answers are the same whether or not the account exists, so the limit tells nobody who has
 * one. Returns the known-device token for the browser to keep.
 */
export async function signInWithPassword({ auth, db, now, secret }: SignInDeps, attempt: SignInAttempt): Promise<{ deviceToken: string }> {
  const { email, password, clientAddress, deviceToken, headers } = attempt;
  const device = verifyDeviceToken(secret, email, deviceToken);
  const keys: ThrottleKey[] = [device ? { kind: 'device', value: device } : { kind: 'account', value: email }];
  if (clientAddress) keys.push({ kind: 'client', value: clientAddress });
  const admission = await admitSignInAttempt(db, keys, now());
  if (!admission.admitted) {
    const seconds = Math.ceil(admission.retryAfterMs / 1000);
    throw new AppError('rate_limited', `Too many attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`);
  }
  try {
    await auth.api.signInEmail({ body: { email, password }, headers });
  } catch (error) {
    throw toAuthError(error);
  }
  await recordSignInSuccess(db, keys);
  return { deviceToken: device ? deviceToken! : issueDeviceToken(secret, email) };
}
