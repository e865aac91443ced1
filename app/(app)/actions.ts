'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/app/_server/action';
import { CUSTOMER_COOKIE } from '@/app/_server/customer';
import { getDb } from '@/db';
import { getTeamRole } from '@/lib/auth/teams';

const selectCustomerSchema = z.object({ customer: z.union([z.literal('user'), z.templateLiteral(['team:', z.string().min(1).max(100)])]) });

export const selectCustomer = action(selectCustomerSchema, async ({ customer }, { user }) => {
  if (customer !== 'user') getTeamRole(getDb(), customer.slice('team:'.length), user.id);
  (await cookies()).set(CUSTOMER_COOKIE, customer, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
  revalidatePath('/', 'layout');
  return null;
});
