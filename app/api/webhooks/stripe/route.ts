import { after } from 'next/server';
import type Stripe from 'stripe';
import { mailNoticesAfterResponse } from '@/app/_server/notices';
import { getAppContext } from '@/app/_server/app-context';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { readTextUpTo } from '@/lib/http/body';
import { dispatchPurchaseChangesSoon } from '@/lib/payments/purchase-hooks';
import { handleStripeEvent } from '@/lib/payments/stripe-sync';

const MAX_BODY_BYTES = 1_000_000;

/**
 * Stripe's webhook: verify the signature on the raw body, then hand the event to lib/payments.
 * 400 for a bad signature (nothing changes); 500 on a handler error so Stripe retries, with the
 * handler's transaction rolled back; 200 for handled, duplicate and unknown events. A body over
 * 1 MB (Stripe's events are a few KB) is refused with 413 before it is read whole or verified.
 */
export async function POST(request: Request) {
  const body = await readTextUpTo(request, MAX_BODY_BYTES);
  if (body === null) return new AppError('payload_too_large', 'Send at most 1 MB.').toResponse();
  const deps = getAppContext();
  let event: Stripe.Event;
  try {
    event = deps.stripe.webhooks.constructEvent(body, request.headers.get('stripe-signature') ?? '', getEnv().stripe.webhookSecret);
  } catch {
    return new AppError('invalid_signature', 'The Stripe-Signature header does not match this body and the webhook secret.').toResponse();
  }
  try {
    const outcome = await handleStripeEvent(deps, event);
    // onPurchaseChanged for what this event changed (and earlier changes whose hooks failed), once
    // the answer is sent: Stripe need not wait for them, and a hook never fails the event.
    if (outcome === 'handled') {
      after(() => dispatchPurchaseChangesSoon(deps.db));
      mailNoticesAfterResponse();
    }
    return Response.json({ received: true, outcome });
  } catch (error) {
    console.error(`Stripe event ${event.id} (${event.type}) failed`, error);
    return new AppError('internal', 'The handler failed; Stripe will retry.').toResponse();
  }
}
