import 'server-only';
import { getDb } from '@/db';
import { authorizeCustomer, type CustomerAction } from '@/lib/customers/access';
import { authorizedServerCustomer } from '@/lib/customers/server-customer';
import { userActor } from '@/lib/payments/actor';
import type { CustomerRef } from '@/lib/payments/customer-ref';
import { z } from 'zod';
import { getPaymentsDeps } from './payments';
import type { SessionUser } from './session';

export const customerRefSchema = z.object({ type: z.enum(['user', 'team']), id: z.string().min(1).max(100) });

/** The server Customer for a signed-in user acting on `customer`, after checking they may. */
export async function customerFor(user: SessionUser, customer: CustomerRef, action: CustomerAction) {
  const db = getDb();
  await authorizeCustomer(db, user.id, customer, action);
  return authorizedServerCustomer(db, getPaymentsDeps().now, customer, userActor(user.id));
}
