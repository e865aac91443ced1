'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { publicAction } from '@/app/_server/action';
import { demoPowers } from '@/app/_server/demo';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { getEmulatorDb } from '@/lib/stripe/emulator/db';
import { expireCheckoutSession, payCheckoutSession } from '@/lib/stripe/emulator/checkout';
import { ApiError, handleEmulatorRequest, refundPayment } from '@/lib/stripe/emulator/api';
import { paymentIntentOfInvoice, type EmulatedInvoice, type EmulatedSubscription } from '@/lib/stripe/emulator/objects';
import { deliverPendingEvents, getObject } from '@/lib/stripe/emulator/store';

async function emulator() {
  const env = getEnv();
  if (!env.stripe.emulator || !(await demoPowers())) throw new AppError('not_found', 'The Stripe emulator is off.');
  const db = getEmulatorDb();
  return { env, db, wallNow: Date.now() };
}

async function deliver() {
  const { env, db } = await emulator();
  await deliverPendingEvents(db, { appUrl: env.appUrl, webhookSecret: env.stripe.webhookSecret });
}

const payer = { sessionId: z.string().min(1).max(200), email: z.email('Enter a valid email address.') };

/** The checkout page's two forms: a card, or (one-time payments) a bank debit that settles later. */
export const payCheckout = publicAction(
  z.discriminatedUnion('method', [
    z.object({ ...payer, method: z.literal('card'), cardNumber: z.string().trim().min(1, 'Enter a card number.').max(40) }),
    z.object({ ...payer, method: z.literal('us_bank_account'), accountNumber: z.string().trim().min(1, 'Enter an account number.').max(40) }),
  ]),
  async (input) => {
    const { env, db, wallNow } = await emulator();
    const method = input.method === 'card' ? { type: 'card' as const, number: input.cardNumber } : { type: input.method, accountNumber: input.accountNumber };
    const result = payCheckoutSession(db, input.sessionId, method, wallNow, env.stripe.emulator ? env.stripe.collectionDelayMs : 0);
    if (!result.ok) throw new AppError('invalid_input', result.message);
    // Stripe sends the webhook about as fast as it redirects; deliver before the buyer is back.
    await deliver();
    redirect(result.redirectUrl);
  },
);

export const cancelCheckout = publicAction(z.object({ sessionId: z.string().min(1).max(200) }), async ({ sessionId }) => {
  const { db, wallNow } = await emulator();
  const cancelUrl = expireCheckoutSession(db, sessionId, wallNow);
  await deliver();
  redirect(cancelUrl ?? '/');
});

/** The emulated billing portal's cancel and resume, through the same REST handler the SDK uses. */
export const setPortalCancelAtPeriodEnd = publicAction(
  z.object({ portalSessionId: z.string().min(1).max(200), subscriptionId: z.string().min(1).max(200), cancel: z.boolean() }),
  async ({ portalSessionId, subscriptionId, cancel }) => {
    const { env, db, wallNow } = await emulator();
    const portal = getObject<{ id: string; object: string; customer: string }>(db, portalSessionId, 'billing_portal.session');
    const subscription = getObject<EmulatedSubscription>(db, subscriptionId, 'subscription');
    if (!portal || subscription?.customer !== portal.customer) throw new AppError('not_found', 'No such subscription.');
    const result = handleEmulatorRequest(db, {
      method: 'POST',
      path: ['subscriptions', subscriptionId],
      params: { cancel_at_period_end: String(cancel) },
      wallNow,
      appUrl: env.appUrl,
    });
    if (result.status !== 200) throw new AppError('invalid_input', 'This subscription can no longer be changed.');
    await deliver();
    revalidatePath(`/emulator/portal/${portalSessionId}`);
    return null;
  },
);

/** The emulated portal's "Refund" of a paid invoice, as Stripe's dashboard refunds its payment. */
export const refundInvoice = publicAction(
  z.object({ portalSessionId: z.string().min(1).max(200), invoiceId: z.string().min(1).max(200) }),
  async ({ portalSessionId, invoiceId }) => {
    const { db, wallNow } = await emulator();
    const portal = getObject<{ id: string; object: string; customer: string }>(db, portalSessionId, 'billing_portal.session');
    const invoice = getObject<EmulatedInvoice>(db, invoiceId, 'invoice');
    if (!portal || invoice?.customer !== portal.customer) throw new AppError('not_found', 'No such invoice.');
    const intent = paymentIntentOfInvoice(db, invoice);
    if (!intent) throw new AppError('invalid_input', 'Nothing was paid on this invoice.');
    try {
      db.transaction(() => refundPayment(db, intent, undefined, wallNow));
    } catch (error) {
      if (error instanceof ApiError) throw new AppError('invalid_input', error.message);
      throw error;
    }
    await deliver();
    revalidatePath(`/emulator/portal/${portalSessionId}`);
    return null;
  },
);
