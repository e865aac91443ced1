import type { Db } from '../../db';
import { AppError } from '../errors';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';
import { admitSignInAttempt } from './sign-in-throttle';

const wrongPassword = () => new AppError('invalid_credentials', 'Your current password is not right.');
const isWrongPassword = (error: unknown) => (error as { body?: { code?: string } }).body?.code === 'INVALID_PASSWORD';

/** The account page's changes (deleting it is ./deletion.ts). Each takes the request's headers: better-auth checks the session itself. */
export async function renameAccount(auth: Auth, headers: Headers, name: string): Promise<void> {
  await auth.api.updateUser({ body: { name }, headers }).catch((error: unknown) => {
    throw toAuthError(error);
  });
}

/** Changes the password after checking the current one; every other session of the account is signed out. */
export async function changePassword(auth: Auth, headers: Headers, currentPassword: string, newPassword: string): Promise<void> {
  try {
    await auth.api.changePassword({ body: { currentPassword, newPassword, revokeOtherSessions: true }, headers });
  } catch (error) {
    throw isWrongPassword(error) ? wrongPassword() : toAuthError(error);
  }
}

/**
 * The signed-in account's password, asked again before what a borrowed session must not do alone
 * (moving the account to another email, deleting it). Guesses are spaced out per account.
 */
export async function confirmPassword({ auth, db }: { auth: Auth; db: Db }, headers: Headers, userId: string, password: string, now: number) {
  const admitted = await admitSignInAttempt(db, [{ kind: 'password_check', value: userId }], now);
  if (!admitted.admitted) {
    throw new AppError('rate_limited', `Too many wrong passwords. Try again in ${Math.ceil(admitted.retryAfterMs / 1000)} seconds.`);
  }
  try {
    await auth.api.verifyPassword({ body: { password }, headers });
  } catch (error) {
    throw isWrongPassword(error) ? wrongPassword() : toAuthError(error);
  }
}
