'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, publicAction } from '@/app/_server/action';
import { getDb } from '@/db';
import { getAuth } from '@/lib/auth';
import { toAuthError } from '@/lib/auth/auth-errors';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { signInSchema, signUpSchema } from '@/lib/auth/credentials';
import { systemClock } from '@/lib/clock';
import { getEnv } from '@/lib/env';
import { clientAddress } from '@/lib/http/client-address';
import { safeReturnPath } from '@/lib/http/return-path';

export const signIn = publicAction(signInSchema, async ({ email, password, next }) => {
  const env = getEnv();
  const requestHeaders = await headers();
  await signInWithPassword(
    { auth: getAuth(), db: getDb(), now: systemClock },
    { email, password, clientAddress: clientAddress(requestHeaders, env.trustedClientIpHeader), headers: requestHeaders },
  );
  redirect(safeReturnPath(next, env.appUrl));
});

export const signUp = publicAction(signUpSchema, async ({ name, email, password, next }) => {
  try {
    await getAuth().api.signUpEmail({ body: { name, email, password }, headers: await headers() });
  } catch (error) {
    throw toAuthError(error);
  }
  redirect(safeReturnPath(next, getEnv().appUrl));
});

export const signOut = action(z.unknown(), async () => {
  await getAuth().api.signOut({ headers: await headers() });
  redirect('/sign-in');
});
