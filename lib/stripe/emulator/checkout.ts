import type { EmulatorDb } from './db';
import { rollSubscription, getSession, startSubscription, type EmulatedCharge, type EmulatedPaymentIntent, type EmulatedSubscription } from './objects';
import { createEvent, emulatorOffset, listObjects, newId, putObject, seconds, setEmulatorOffset } from './store';

export const TEST_CARDS = { success: '4242424242424242', declined: '4000000000000002' } as const;

export type PayResult = { ok: true; redirectUrl: string } | { ok: false; message: string };

/**
 * Pays an open checkout session with a test card, as Stripe's hosted page would: 4242… pays,
 * 4000 0000 0000 0002 is declined, anything else is an invalid number. Events are queued for
 * delivery; the caller delivers them before redirecting, like Stripe's near-immediate webhooks.
 */
export function payCheckoutSession(db: EmulatorDb, sessionId: string, cardNumber: string, now: number): PayResult {
  return db.transaction(
    (tx) => {
      const session = getSession(tx, sessionId);
      if (!session) return { ok: false, message: 'This checkout session does not exist.' };
      if (session.status !== 'open') return { ok: false, message: 'This checkout session is no longer open.' };
      const card = cardNumber.replace(/\s+/g, '');
      if (card === TEST_CARDS.declined) return { ok: false, message: 'Your card was declined. Try another card.' };
      if (card !== TEST_CARDS.success) return { ok: false, message: 'Your card number is invalid. Use the test card 4242 4242 4242 4242.' };

      if (session.mode === 'subscription') {
        session.subscription = startSubscription(tx, session, now).id;
      } else {
        const chargeId = newId('ch');
        const paymentIntent: EmulatedPaymentIntent = {
          id: newId('pi'),
          object: 'payment_intent',
          amount: session.amount_total ?? 0,
          currency: session.currency ?? 'usd',
          status: 'succeeded',
          metadata: session.metadata ?? {},
          created: seconds(now),
          customer: session.customer,
          latest_charge: chargeId,
        };
        const charge: EmulatedCharge = {
          id: chargeId,
          object: 'charge',
          amount: paymentIntent.amount,
          amount_refunded: 0,
          refunded: false,
          disputed: false,
          currency: paymentIntent.currency,
          status: 'succeeded',
          paid: true,
          created: seconds(now),
          customer: session.customer,
          payment_intent: paymentIntent.id,
        };
        putObject(tx, paymentIntent, now);
        putObject(tx, charge, now);
        session.payment_intent = paymentIntent.id;
      }
      Object.assign(session, { status: 'complete', payment_status: 'paid' });
      putObject(tx, session, now);
      createEvent(tx, 'checkout.session.completed', session, now);
      return { ok: true, redirectUrl: session.success_url!.replace('{CHECKOUT_SESSION_ID}', session.id) };
    },
    { behavior: 'immediate' },
  );
}

export function expireCheckoutSession(db: EmulatorDb, sessionId: string, now: number): string | null {
  return db.transaction((tx) => {
    const session = getSession(tx, sessionId);
    if (!session) return null;
    if (session.status === 'open') {
      session.status = 'expired';
      putObject(tx, session, now);
      createEvent(tx, 'checkout.session.expired', session, now);
    }
    return session.cancel_url ?? null;
  });
}

/**
 * The test clock: jumps to the end of the earliest current period of a live subscription (or a
 * month when there is none) and renews or ends every subscription that is due.
 */
export function advanceToNextPeriod(db: EmulatorDb, wallNow: number): number {
  return db.transaction(
    (tx) => {
      const offset = emulatorOffset(tx);
      const now = wallNow + offset;
      const live = listObjects<EmulatedSubscription>(tx, 'subscription').filter((s) => s.status !== 'canceled');
      const ends = live.map((s) => s.items.data[0]!.current_period_end * 1000);
      const target = ends.length ? Math.max(now, Math.min(...ends)) + 1000 : now + 30 * 86_400_000;
      setEmulatorOffset(tx, target - wallNow);
      for (const subscription of live) {
        while (subscription.status !== 'canceled' && subscription.items.data[0]!.current_period_end * 1000 <= target)
          rollSubscription(tx, subscription, target);
      }
      return target;
    },
    { behavior: 'immediate' },
  );
}
