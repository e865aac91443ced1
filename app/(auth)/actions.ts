'use server';

import { APIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, publicAction } from '@/app/_server/action';
import { getAuth } from '@/lib/auth';
import { safeReturnPath, signInSchema, signUpSchema } from '@/lib/auth/credentials';
import { AppError } from '@/lib/errors';

/** better-auth reports expected failures as APIError; turn them into our known errors. */
function toAppError(error: unknown): unknown {
  if (!(error instanceof APIError)) return error;
  const code = (error.body as { code?: string } | undefined)?.code;
  if (code === 'USER_ALREADY_EXISTS' || code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') {
    return new AppError('email_taken', 'An account with this email already exists. Sign in instead.');
  }
  if (code === 'INVALID_EMAIL_OR_PASSWORD') return new AppError('invalid_credentials', 'Wrong email or password.');
  return new AppError('invalid_input', error.message || 'Please check your details and try again.');
}

export const signIn = publicAction(signInSchema, async ({ email, password, next }) => {
  try {
    await getAuth().api.signInEmail({ body: { email, password }, headers: await headers() });
  } catch (error) {
    throw toAppError(error);
  }
  redirect(safeReturnPath(next));
});

export const signUp = publicAction(signUpSchema, async ({ name, email, password, next }) => {
  try {
    await getAuth().api.signUpEmail({ body: { name, email, password }, headers: await headers() });
  } catch (error) {
    throw toAppError(error);
  }
  redirect(safeReturnPath(next));
});

export const signOut = action(z.unknown(), async () => {
  await getAuth().api.signOut({ headers: await headers() });
  redirect('/sign-in');
});
