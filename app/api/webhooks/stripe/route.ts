import type Stripe from 'stripe';
import { getPaymentsDeps } from '@/app/_server/payments';
import { getEnv } from '@/lib/env';
import { handleStripeEvent } from '@/lib/payments/stripe-sync';

/**
 * Stripe's webhook: verify the signature on the raw body, then hand the event to lib/payments.
 * 400 for a bad signature (nothing changes); 500 on a handler error so Stripe retries, with the
 * handler's transaction rolled back; 200 for handled, duplicate and unknown events.
 */
export async function POST(request: Request) {
  const deps = getPaymentsDeps();
  const body = await request.text();
  let event: Stripe.Event;
  try {
    event = deps.stripe.webhooks.constructEvent(body, request.headers.get('stripe-signature') ?? '', getEnv().stripe.webhookSecret);
  } catch {
    return Response.json({ error: 'Invalid signature' }, { status: 400 });
  }
  try {
    const outcome = await handleStripeEvent(deps, event);
    return Response.json({ received: true, outcome });
  } catch (error) {
    console.error(`Stripe event ${event.id} (${event.type}) failed`, error);
    return Response.json({ error: 'Handler failed; Stripe will retry' }, { status: 500 });
  }
}
