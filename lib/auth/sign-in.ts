import type { Db } from '../../db';
import { AppError } from '../errors';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';
import { admitSignInAttempt, forgetSignInFailures, type ThrottleKey } from './sign-in-throttle';

export type SignInDeps = { auth: Auth; db: Db; now: () => number };

/**
 * Email and password sign-in under the attempt limits: per account always, per client address
 * only when the caller could trust one (`clientAddress` from a trusted proxy header, else null).
 * The same answers whether or not the account exists, so the limit tells nobody who has one.
 */
export async function signInWithPassword(
  { auth, db, now }: SignInDeps,
  { email, password, clientAddress, headers }: { email: string; password: string; clientAddress: string | null; headers: Headers },
): Promise<void> {
  const account: ThrottleKey = { kind: 'account', value: email };
  const keys = clientAddress ? [account, { kind: 'client' as const, value: clientAddress }] : [account];
  const admission = admitSignInAttempt(db, keys, now());
  if (!admission.admitted) {
    const seconds = Math.ceil(admission.retryAfterMs / 1000);
    throw new AppError('rate_limited', `Too many attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`);
  }
  try {
    await auth.api.signInEmail({ body: { email, password }, headers });
  } catch (error) {
    throw toAuthError(error);
  }
  forgetSignInFailures(db, account);
}
