import { APIError } from 'better-auth/api';
import { AppError, type ErrorCode } from '../errors';

const emailTaken: [ErrorCode, string] = ['email_taken', 'An account with this email already exists. Sign in instead.'];

/** What the user reads for each error better-auth reports on sign-in and sign-up, by its code. */
const byCode: Record<string, [ErrorCode, string]> = {
  INVALID_EMAIL_OR_PASSWORD: ['invalid_credentials', 'Wrong email or password.'],
  USER_ALREADY_EXISTS: emailTaken,
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: emailTaken,
  PASSWORD_TOO_SHORT: ['invalid_input', 'Use at least 8 characters for your password.'],
  PASSWORD_TOO_LONG: ['invalid_input', 'Use at most 128 characters for your password.'],
  INVALID_EMAIL: ['invalid_input', 'Enter a valid email address.'],
};

/** better-auth reports expected failures as APIError; each becomes a clear AppError, anything else stays a bug. */
export function toAuthError(error: unknown): unknown {
  if (!(error instanceof APIError)) return error;
  const known = byCode[(error.body as { code?: string } | undefined)?.code ?? ''];
  if (known) return new AppError(...known);
  if (error.statusCode === 429) return new AppError('rate_limited', 'Too many attempts. Try again in a minute.');
  return new AppError('invalid_input', 'We could not complete this. Check your details and try again.');
}
