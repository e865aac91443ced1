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

/**
 * Guesses of the signed-in account's password are counted before they are checked, per account,
 * whichever form asks (./sign-in-throttle.ts `password_check`): a borrowed session gets a few, then waits.
 */
async function admitPasswordCheck(db: Db, userId: string, now: number) {
  const admitted = await admitSignInAttempt(db, [{ kind: 'password_check', value: userId }], now);
  if (!admitted.admitted) {
    throw new AppError('rate_limited', `Too many wrong passwords. Try again in ${Math.ceil(admitted.retryAfterMs / 1000)} seconds.`);
  }
}

export type ChangePasswordDeps = {
  auth: Auth;
  db: Db;
  /** Forgets the sessions this server remembered (../../app/_server/session.ts): the revoked ones must not live on for seconds. */
  forgetSessions: () => void | Promise<void>;
};

/**
 * Changes the password after checking the current one (guesses limited like `confirmPassword`);
 * every other session of the account is signed out, and this server forgets the ones it remembered.
 */
export async function changePassword(
  { auth, db, forgetSessions }: ChangePasswordDeps,
  headers: Headers,
  input: { userId: string; currentPassword: string; newPassword: string },
  now: number,
): Promise<void> {
  await admitPasswordCheck(db, input.userId, now);
  try {
    await auth.api.changePassword({ body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: true }, headers });
  } catch (error) {
    throw isWrongPassword(error) ? wrongPassword() : toAuthError(error);
  }
  await forgetSessions();
}

/**
 * The signed-in account's password, asked again before what a borrowed session must not do alone
 * (moving the account to another email, deleting it or a team). Guesses are spaced out per account.
 */
export async function confirmPassword({ auth, db }: { auth: Auth; db: Db }, headers: Headers, userId: string, password: string, now: number) {
  await admitPasswordCheck(db, userId, now);
  try {
    await auth.api.verifyPassword({ body: { password }, headers });
  } catch (error) {
    throw isWrongPassword(error) ? wrongPassword() : toAuthError(error);
  }
}
