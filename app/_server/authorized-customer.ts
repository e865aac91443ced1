import 'server-only';
import { getDb } from '@/db';
import { authorizeCustomer, type CustomerAction } from '@/lib/customers/access';
import { authorizedServerCustomer } from '@/lib/customers/server-customer';
import { userActor } from '@/lib/payments/actor';
import type { CustomerRef } from '@/lib/payments/customer-ref';
import { z } from 'zod';
import { action } from './action';
import { getAppContext } from './app-context';
import type { SessionUser } from './session';

export const customerRefSchema = z.object({ type: z.enum(['user', 'team']), id: z.string().min(1).max(100) });

/**
 * The server Customer for a signed-in user acting on `customer`, after checking they may: the one
 * way app code gets a Customer (server code that trusts its caller uses `createServerCustomers`).
 */
export async function customerFor(user: SessionUser, customer: CustomerRef, permission: CustomerAction) {
  const db = getDb();
  await authorizeCustomer(db, user.id, customer, permission);
  return authorizedServerCustomer(db, getAppContext().now, customer, userActor(user.id));
}

/**
 * A server action on the customer its input names: the session, the input, then the user's
 * `permission` on that customer (lib/customers/access.ts), all before the handler runs, which gets
 * the authorized Customer. Authorization is part of the wrapper, so no handler can forget it.
 */
export function customerAction<S extends z.ZodType<{ customer: CustomerRef }>, T>(
  schema: S,
  permission: CustomerAction,
  handler: (input: z.output<S>, ctx: { user: SessionUser; customer: Awaited<ReturnType<typeof customerFor>> }) => Promise<T> | T,
) {
  return action(schema, async (input, { user }) => handler(input, { user, customer: await customerFor(user, input.customer, permission) }));
}
