import 'server-only';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { getDb } from '@/db';
import { resolveSelectedCustomer } from '@/lib/customers/selection';
import { requireUser } from './session';

export const CUSTOMER_COOKIE = 'tally_customer';

/** The signed-in user, the customer they act as, and their teams: once per request. */
export const getCustomerContext = cache(async () => {
  const user = await requireUser();
  const key = (await cookies()).get(CUSTOMER_COOKIE)?.value;
  return { user, ...(await resolveSelectedCustomer(getDb(), user.id, key)) };
});
