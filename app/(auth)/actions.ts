'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, publicAction } from '@/app/_server/action';
import { demoPowers } from '@/app/_server/demo';
import { forgetAllSessions, forgetSession } from '@/app/_server/session';
import { getDb } from '@/db';
import { getAuth } from '@/lib/auth';
import { AppError } from '@/lib/errors';
import { isDemoAccount } from '@/lib/auth/demo-accounts';
import { KNOWN_DEVICE_COOKIE } from '@/lib/auth/known-device';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { signUpWithPassword } from '@/lib/auth/sign-up';
import { forgotPasswordSchema, resetPasswordSchema, signInSchema, signUpSchema } from '@/lib/auth/credentials';
import { requestPasswordReset, resetPassword } from '@/lib/auth/password-reset';
import { systemClock } from '@/lib/clock';
import { getEnv } from '@/lib/env';
import { clientAddress } from '@/lib/http/client-address';
import { safeReturnPath } from '@/lib/http/return-path';

/** Kept a year: the browser is known to this account for sign-in limits (lib/auth/known-device.ts). */
async function rememberDevice(deviceToken: string) {
  const { appUrl } = getEnv();
  (await cookies()).set(KNOWN_DEVICE_COOKIE, deviceToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: appUrl.startsWith('https:'),
    path: '/',
    maxAge: 60 * 60 * 24 * 365,
  });
}

export const signIn = publicAction(signInSchema, async ({ email, password, next }) => {
  const env = getEnv();
  const requestHeaders = await headers();
  // The demo's accounts have a published password: a demo power, like the mailbox.
  if (isDemoAccount(email) && !(await demoPowers(requestHeaders))) {
    throw new AppError('invalid_credentials', 'The demo accounts sign in only on the machine running the demo.');
  }
  const { deviceToken } = await signInWithPassword(
    { auth: getAuth(), db: getDb(), now: systemClock, secret: env.authSecret },
    {
      email,
      password,
      clientAddress: clientAddress(requestHeaders, env.trustedClientIpHeader),
      deviceToken: (await cookies()).get(KNOWN_DEVICE_COOKIE)?.value,
      headers: requestHeaders,
    },
  );
  await rememberDevice(deviceToken);
  redirect(safeReturnPath(next, env.appUrl));
});

export const signUp = publicAction(signUpSchema, async ({ name, email, password, next }) => {
  const env = getEnv();
  const requestHeaders = await headers();
  const { deviceToken } = await signUpWithPassword(
    { auth: getAuth(), db: getDb(), now: systemClock, secret: env.authSecret },
    { name, email, password, clientAddress: clientAddress(requestHeaders, env.trustedClientIpHeader), headers: requestHeaders },
  );
  await rememberDevice(deviceToken);
  redirect(safeReturnPath(next, env.appUrl));
});

export const signOut = action(z.unknown(), async () => {
  await forgetSession();
  await getAuth().api.signOut({ headers: await headers() });
  redirect('/sign-in');
});

export const forgotPassword = publicAction(forgotPasswordSchema, async ({ email }) => {
  await requestPasswordReset({ auth: getAuth(), db: getDb() }, email, systemClock());
  return null;
});

export const chooseNewPassword = publicAction(resetPasswordSchema, async ({ token, password }) => {
  await resetPassword(getAuth(), token, password);
  forgetAllSessions();
  redirect('/sign-in?reset=1');
});
