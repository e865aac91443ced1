'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action } from '@/app/_server/action';
import { forgetAllSessions } from '@/app/_server/session';
import { getAuth } from '@/lib/auth';
import { confirmEmailChange } from '@/lib/auth/email-change';

// Signed in: only the account's own session may take the new address (lib/auth/email-change.ts).
export const confirmEmail = action(
  z.object({ token: z.string().min(1, 'This link is incomplete: open it from the mail again.').max(4000) }),
  async ({ token }) => {
    await confirmEmailChange(getAuth(), await headers(), token);
    forgetAllSessions(); // remembered sessions carry the old email
    redirect('/account?email=changed');
  },
);
