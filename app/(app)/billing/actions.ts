'use server';

import { demoPowers } from '@/app/_server/demo';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { customerAction, customerRefSchema } from '@/app/_server/authorized-customer';
import { getAppContext } from '@/app/_server/app-context';
import { AppError } from '@/lib/errors';
import * as billing from '@/lib/payments/billing';
import * as checkout from '@/lib/payments/checkout';
import { advanceToNextPeriod } from '@/lib/stripe/emulator/billing';
import { getEmulatorDb } from '@/lib/stripe/emulator/db';
import { clockOwner, deliverPendingEvents } from '@/lib/stripe/emulator/store';
import { getEnv } from '@/lib/env';

export const createCheckoutUrl = customerAction(
  z.object({
    customer: customerRefSchema,
    productId: z.string().min(1).max(100),
    quantity: z.coerce.number<unknown>().int('Enter a whole number.').min(1, 'Buy at least 1.').max(100, 'Buy at most 100 at once.').default(1),
    returnUrl: z.string().max(2000).optional(),
  }),
  'buy',
  async ({ customer, productId, quantity, returnUrl }, { user }) => {
    const deps = getAppContext();
    // A team's billing contact starts as the admin who first buys for it.
    const contact = customer.type === 'user' ? { email: user.email, name: user.name } : { email: user.email };
    return checkout.createCheckoutUrl(deps, customer, { productId, quantity, returnUrl, contact });
  },
);

/** Cancel at period end (`cancel: true`) or resume (`false`). */
export const setCancelAtPeriodEnd = customerAction(
  z.object({ customer: customerRefSchema, purchaseId: z.string().min(1).max(100), cancel: z.boolean() }),
  'manage',
  async ({ customer, purchaseId, cancel }) => {
    await billing.setCancelAtPeriodEnd(getAppContext(), customer, purchaseId, cancel);
    revalidatePath('/', 'layout');
    return null;
  },
);

export const openBillingPortal = customerAction(z.object({ customer: customerRefSchema }), 'manage', ({ customer }) =>
  billing.createPortalUrl(getAppContext(), customer, '/billing'),
);

/**
 * Demo only: this customer's test clock jumps to its next period end; what is due renews (its
 * invoice is collected a few seconds later). Other customers' clocks do not move.
 */
export const advanceTestClock = customerAction(z.object({ customer: customerRefSchema }), 'manage', async ({ customer }) => {
  const env = getEnv();
  if (!env.stripe.emulator || !(await demoPowers())) throw new AppError('forbidden', 'The test clock exists only with the Stripe emulator, from this machine.');
  const db = getEmulatorDb();
  const now = advanceToNextPeriod(db, clockOwner(customer), Date.now(), env.stripe);
  await deliverPendingEvents(db, { appUrl: env.appUrl, webhookSecret: env.stripe.webhookSecret });
  revalidatePath('/', 'layout');
  return { now };
});
