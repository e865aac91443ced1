'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/app/_server/action';
import { CUSTOMER_COOKIE } from '@/app/_server/selected-customer';
import { getDb } from '@/db';
import { listTeamsForUser } from '@/lib/auth/teams';
import { authorizeCustomer } from '@/lib/customers/access';
import { customerCookieOptions } from '@/lib/customers/selection';
import { getEnv } from '@/lib/env';

const selectCustomerSchema = z.object({ customer: z.union([z.literal('user'), z.templateLiteral(['team:', z.string().min(1).max(100)])]) });

export const selectCustomer = action(selectCustomerSchema, async ({ customer }, { user }) => {
  const ref = customer === 'user' ? { type: 'user' as const, id: user.id } : { type: 'team' as const, id: customer.slice('team:'.length) };
  await authorizeCustomer(getDb(), user.id, ref, 'read');
  (await cookies()).set(CUSTOMER_COOKIE, customer, customerCookieOptions(getEnv().appUrl));
  revalidatePath('/', 'layout');
  return null;
});

const toTeamInfo = (team: { id: string; name: string; role: 'owner' | 'admin' | 'member' }) => ({ id: team.id, displayName: team.name, role: team.role });

export const listTeams = action(z.object({}), async (_input, { user }) => (await listTeamsForUser(getDb(), user.id)).map(toTeamInfo));

/** A team the user belongs to, or null: a non-member cannot tell a hidden team from a missing one. */
export const getTeam = action(z.object({ teamId: z.string().min(1).max(100) }), async ({ teamId }, { user }) => {
  const team = (await listTeamsForUser(getDb(), user.id)).find((t) => t.id === teamId);
  return team ? toTeamInfo(team) : null;
});
