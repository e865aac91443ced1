import type { Db } from '../../db';
import { AppError } from '../errors';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';
import { admitSignInAttempt } from './sign-in-throttle';

/**
 * Password reset through better-auth's flow, with the app's mail: the same answer whether or not
 * an account uses the email, and a few mails per address before they are spaced out.
 */
export async function requestPasswordReset({ auth, db }: { auth: Auth; db: Db }, email: string, now: number): Promise<void> {
  const admitted = await admitSignInAttempt(db, [{ kind: 'reset', value: email }], now);
  if (!admitted.admitted) {
    const minutes = Math.ceil(admitted.retryAfterMs / 60_000);
    throw new AppError(
      'rate_limited',
      `A reset link was sent to this address just now. Check the mailbox, or ask again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
  }
  await auth.api.requestPasswordReset({ body: { email } });
}

/** Sets the new password if the link is still good; every session of the account is signed out. */
export async function resetPassword(auth: Auth, token: string, newPassword: string): Promise<void> {
  try {
    await auth.api.resetPassword({ body: { token, newPassword } });
  } catch (error) {
    const code = (error as { body?: { code?: string } }).body?.code;
    if (code === 'INVALID_TOKEN') throw new AppError('invalid_input', 'This reset link has expired or was already used. Ask for a new one.');
    throw toAuthError(error);
  }
}
