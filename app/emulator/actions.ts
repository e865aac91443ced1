'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { publicAction } from '@/app/_server/action';
import { getDb } from '@/db';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { expireCheckoutSession, payCheckoutSession } from '@/lib/stripe/emulator/checkout';
import { deliverPendingEvents, emulatorOffset } from '@/lib/stripe/emulator/store';

function emulator() {
  const env = getEnv();
  if (!env.stripe.emulator) throw new AppError('not_found', 'The Stripe emulator is off.');
  const db = getDb();
  return { env, db, now: Date.now() + emulatorOffset(db) };
}

async function deliver() {
  const { env, db } = emulator();
  await deliverPendingEvents(db, `${env.appUrl}/api/webhooks/stripe`, env.stripe.webhookSecret);
}

export const payCheckout = publicAction(
  z.object({ sessionId: z.string().min(1).max(200), email: z.email('Enter a valid email address.'), cardNumber: z.string().trim().min(1, 'Enter a card number.') }),
  async ({ sessionId, cardNumber }) => {
    const { db, now } = emulator();
    const result = payCheckoutSession(db, sessionId, cardNumber, now);
    if (!result.ok) throw new AppError('invalid_input', result.message);
    // Stripe sends the webhook about as fast as it redirects; deliver before the buyer is back.
    await deliver();
    redirect(result.redirectUrl);
  },
);

export const cancelCheckout = publicAction(z.object({ sessionId: z.string().min(1).max(200) }), async ({ sessionId }) => {
  const { db, now } = emulator();
  const cancelUrl = expireCheckoutSession(db, sessionId, now);
  await deliver();
  redirect(cancelUrl ?? '/');
});
