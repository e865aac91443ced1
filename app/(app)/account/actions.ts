'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/app/_server/action';
import { getMailer } from '@/lib/mail/app-mailer';
import { getAppContext } from '@/app/_server/app-context';
import { forgetAllSessions, forgetOtherSessions } from '@/app/_server/session';
import { getDb } from '@/db';
import { getAuth } from '@/lib/auth';
import * as account from '@/lib/auth/account';
import { deleteAccount as deleteAccountAndSubscriptions } from '@/lib/auth/deletion';
import { requestEmailChange } from '@/lib/auth/email-change';
import { systemClock } from '@/lib/clock';
import { emailSchema, newPasswordSchema } from '@/lib/auth/credentials';

export const renameAccount = action(
  z.object({ name: z.string().trim().min(1, 'Enter your name.').max(80, 'Use at most 80 characters.') }),
  async ({ name }) => {
    await account.renameAccount(getAuth(), await headers(), name);
    forgetAllSessions(); // remembered sessions carry the old name
    revalidatePath('/', 'layout');
    return null;
  },
);

export const changePassword = action(
  z.object({ currentPassword: z.string().min(1, 'Enter your current password.'), newPassword: newPasswordSchema }),
  async ({ currentPassword, newPassword }, { user }) => {
    const deps = { auth: getAuth(), db: getDb(), forgetSessions: () => forgetOtherSessions(user) };
    await account.changePassword(deps, await headers(), { userId: user.id, currentPassword, newPassword }, systemClock());
    return null;
  },
);

export const changeEmail = action(
  z.object({ newEmail: emailSchema, password: z.string().min(1, 'Enter your password.') }),
  async ({ newEmail, password }, { user }) => {
    const deps = { auth: getAuth(), db: getDb(), sendMail: getMailer() };
    await requestEmailChange(deps, await headers(), { userId: user.id, email: user.email, currentPassword: password, newEmail }, systemClock());
    return null;
  },
);

export const deleteAccount = action(z.object({ password: z.string().min(1, 'Enter your password.') }), async ({ password }, { user }) => {
  await account.confirmPassword({ auth: getAuth(), db: getDb() }, await headers(), user.id, password, systemClock());
  await deleteAccountAndSubscriptions(getAppContext(), user.id);
  forgetAllSessions();
  await getAuth()
    .api.signOut({ headers: await headers() })
    .catch(() => undefined); // the session is gone with the account; this only clears the cookie
  redirect('/?deleted=1');
});
