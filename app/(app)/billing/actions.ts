'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/app/_server/action';
import { customerRefSchema } from '@/app/_server/customers';
import { getPaymentsDeps } from '@/app/_server/payments';
import { authorizeCustomer } from '@/lib/customers/access';
import { AppError } from '@/lib/errors';
import * as checkout from '@/lib/payments/checkout';
import { fulfillCheckout } from '@/lib/payments/stripe-sync';
import { advanceToNextPeriod } from '@/lib/stripe/emulator/checkout';
import { deliverPendingEvents } from '@/lib/stripe/emulator/store';
import { getEnv } from '@/lib/env';

export const createCheckoutUrl = action(
  z.object({
    customer: customerRefSchema,
    productId: z.string().min(1).max(100),
    quantity: z.coerce.number<unknown>().int('Enter a whole number.').min(1, 'Buy at least 1.').max(100, 'Buy at most 100 at once.').default(1),
    returnUrl: z.string().max(2000).optional(),
  }),
  async ({ customer, productId, quantity, returnUrl }, { user }) => {
    const deps = getPaymentsDeps();
    authorizeCustomer(deps.db, user.id, customer, 'buy');
    // A team's billing contact starts as the admin who first buys for it.
    const contact = customer.type === 'user' ? { email: user.email, name: user.name } : { email: user.email };
    return checkout.createCheckoutUrl(deps, customer, { productId, quantity, returnUrl, contact });
  },
);

const subscriptionInput = z.object({ customer: customerRefSchema, purchaseId: z.string().min(1).max(100) });

export const cancelSubscription = action(subscriptionInput, async ({ customer, purchaseId }, { user }) => {
  const deps = getPaymentsDeps();
  authorizeCustomer(deps.db, user.id, customer, 'manage');
  await checkout.setCancelAtPeriodEnd(deps, customer, purchaseId, true);
  revalidatePath('/', 'layout');
  return null;
});

export const resumeSubscription = action(subscriptionInput, async ({ customer, purchaseId }, { user }) => {
  const deps = getPaymentsDeps();
  authorizeCustomer(deps.db, user.id, customer, 'manage');
  await checkout.setCancelAtPeriodEnd(deps, customer, purchaseId, false);
  revalidatePath('/', 'layout');
  return null;
});

export const openBillingPortal = action(z.object({ customer: customerRefSchema }), async ({ customer }, { user }) => {
  const deps = getPaymentsDeps();
  authorizeCustomer(deps.db, user.id, customer, 'manage');
  return checkout.createPortalUrl(deps, customer, '/billing');
});

/** The return page's sync: idempotent, and only for a session of a customer the user may read. */
export const syncCheckoutSession = action(z.object({ sessionId: z.string().min(1).max(300) }), async ({ sessionId }, { user }) => {
  const deps = getPaymentsDeps();
  const session = await deps.stripe.checkout.sessions.retrieve(sessionId);
  const type = session.metadata?.customerType;
  const id = session.metadata?.customerId;
  if ((type !== 'user' && type !== 'team') || !id) throw new AppError('not_found', 'Checkout session not found.');
  authorizeCustomer(deps.db, user.id, { type, id }, 'read');
  await fulfillCheckout(deps, sessionId);
  return { status: session.status, paymentStatus: session.payment_status };
});

/** Demo only: the emulator's test clock jumps to the next period end and renews what is due. */
export const advanceTestClock = action(z.object({}), async () => {
  const env = getEnv();
  if (!env.stripe.emulator) throw new AppError('forbidden', 'The test clock exists only with the Stripe emulator.');
  const { db } = getPaymentsDeps();
  const now = advanceToNextPeriod(db, Date.now());
  await deliverPendingEvents(db, `${env.appUrl}/api/webhooks/stripe`, env.stripe.webhookSecret);
  revalidatePath('/', 'layout');
  return { now };
});
