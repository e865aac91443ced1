import type { Db } from '../../db';
import { AppError } from '../errors';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';
import { admitSignInAttempt } from './sign-in-throttle';

/**
 * Asks to move the account to `newEmail`: a link goes to the new address, and nothing changes until
 * it is followed. The current password is asked first (a borrowed session must not be enough to take
 * the account). The answer is the same whether or not another account has that email (better-auth
 * sends nothing then); a few attempts per account, then they are spaced out (password guesses too).
 */
export async function requestEmailChange(
  { auth, db }: { auth: Auth; db: Db },
  headers: Headers,
  input: { userId: string; currentPassword: string; newEmail: string },
  now: number,
) {
  const { userId, currentPassword, newEmail } = input;
  const admitted = await admitSignInAttempt(db, [{ kind: 'email_change', value: userId }], now);
  if (!admitted.admitted) {
    const minutes = Math.ceil(admitted.retryAfterMs / 60_000);
    throw new AppError(
      'rate_limited',
      `A confirmation link was sent just now. Check that mailbox, or ask again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
  }
  try {
    await auth.api.verifyPassword({ body: { password: currentPassword }, headers });
  } catch (error) {
    if ((error as { body?: { code?: string } }).body?.code === 'INVALID_PASSWORD')
      throw new AppError('invalid_credentials', 'Your current password is not right.');
    throw toAuthError(error);
  }
  try {
    await auth.api.changeEmail({ body: { newEmail }, headers });
  } catch (error) {
    if ((error as { body?: { message?: string } }).body?.message === 'Email is the same') {
      throw new AppError('invalid_input', 'That is already your email.');
    }
    throw toAuthError(error);
  }
}

/** Follows the mailed link: the account takes the new email, if the link is good and the email still free. */
export async function confirmEmailChange(auth: Auth, headers: Headers, token: string): Promise<void> {
  try {
    await auth.api.verifyEmail({ query: { token }, headers });
  } catch {
    // An expired or used link, another account's session, or the address taken meanwhile (a unique key).
    throw new AppError('invalid_input', 'This link has expired, was already used, or the address now belongs to another account. Ask for a new one.');
  }
}
