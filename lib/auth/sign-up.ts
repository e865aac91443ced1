import type { Db } from '../../db';
import { AppError } from '../errors';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';
import { issueDeviceToken } from './known-device';
import { admitSignInAttempt } from './sign-in-throttle';

export type SignUpDeps = { auth: Auth; db: Db; now: () => number; secret: string };

/**
 * Creates the account and signs it in (the session cookie is set through the auth instance). Every
 * attempt is counted per client address when one can be trusted (./sign-in-throttle.ts `sign_up`),
 * created or refused alike: sign-ups make accounts that can mail others, and "this email has an
 * account" is an answer, so neither comes without limit from one address. The answer for a taken
 * email stays different from a new one's: a new account is signed in at once, which a taken email
 * cannot be, so only a sign-up that waits for a mailed link could hide it. Returns the
 * known-device token for the browser to keep (./known-device.ts).
 */
export async function signUpWithPassword(
  { auth, db, now, secret }: SignUpDeps,
  { name, email, password, clientAddress, headers }: { name: string; email: string; password: string; clientAddress: string | null; headers: Headers },
): Promise<{ deviceToken: string }> {
  if (clientAddress) {
    const admitted = await admitSignInAttempt(db, [{ kind: 'sign_up', value: clientAddress }], now());
    if (!admitted.admitted) {
      const minutes = Math.ceil(admitted.retryAfterMs / 60_000);
      throw new AppError(
        'rate_limited',
        `Too many accounts were created from your network just now. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      );
    }
  }
  try {
    await auth.api.signUpEmail({ body: { name, email, password }, headers });
  } catch (error) {
    throw toAuthError(error);
  }
  return { deviceToken: issueDeviceToken(secret, email) };
}
