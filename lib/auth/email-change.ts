import type { Db } from '../../db';
import type { Mailer } from '../mail/mail';
import { AppError } from '../errors';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';
import { confirmPassword } from './account';
import { admitSignInAttempt } from './sign-in-throttle';

/**
 * Asks to move the account to `newEmail`: a link goes to the new address, and nothing changes until
 * it is followed. The current password is asked first (a borrowed session must not be enough to take
 * the account). The answer is the same whether or not another account has that email (better-auth
 * sends nothing then); a few attempts per account, then they are spaced out (password guesses too).
 */
export async function requestEmailChange(
  { auth, db, sendMail }: { auth: Auth; db: Db; sendMail: Mailer },
  headers: Headers,
  input: { userId: string; email: string; currentPassword: string; newEmail: string },
  now: number,
) {
  const { userId, email, currentPassword, newEmail } = input;
  const admitted = await admitSignInAttempt(
    db,
    [
      { kind: 'email_change', value: userId },
      { kind: 'email_change_to', value: newEmail },
    ],
    now,
  );
  if (!admitted.admitted) {
    const minutes = Math.ceil(admitted.retryAfterMs / 60_000);
    throw new AppError(
      'rate_limited',
      `A confirmation link was sent just now. Check that mailbox, or ask again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
  }
  await confirmPassword({ auth, db }, headers, userId, currentPassword, now);
  try {
    await auth.api.changeEmail({ body: { newEmail }, headers });
  } catch (error) {
    if ((error as { body?: { message?: string } }).body?.message === 'Email is the same') {
      throw new AppError('invalid_input', 'That is already your email.');
    }
    throw toAuthError(error);
  }
  // The owner hears of it at the address in use, in case it was not them. Not awaited, as for resets.
  sendMail({
    to: email,
    subject: 'Your Tally email is about to change',
    text: [
      `Someone signed in to your Tally account asked to use ${newEmail} instead of ${email}.`,
      '',
      'It changes only if the link sent to the new address is followed while signed in to your account.',
      'If this was not you, change your password now: that signs out every session, and the link then cannot be used.',
    ].join('\n'),
  }).catch((error: unknown) => console.error('email change notice failed', error));
}

/**
 * Follows the mailed link in the account's own session (better-auth refuses another account's; the
 * app asks for one): the account takes the new email, if the link is good and the email still free.
 * Without a session, whoever holds the new mailbox could not move someone else's account, and after
 * a password reset (every session ends) a link an intruder asked for is useless.
 */
export async function confirmEmailChange(auth: Auth, headers: Headers, token: string): Promise<void> {
  try {
    await auth.api.verifyEmail({ query: { token }, headers });
  } catch {
    // An expired or used link, another account's session, or the address taken meanwhile (a unique key).
    throw new AppError('invalid_input', 'This link has expired, was already used, or the address now belongs to another account. Ask for a new one.');
  }
}
