import type { EmulatorDb } from './db';
import { TEST_BANK_ACCOUNTS, TEST_CARDS } from './cards';
import { bankDetails, cardDetails, createPaymentIntent, getSession, startSubscription } from './objects';
import { createEvent, customerTime, putObject } from './store';

export type PayResult = { ok: true; redirectUrl: string } | { ok: false; message: string };

/** How the buyer pays on the checkout page: a card now, or a bank debit that settles later. */
export type PaymentMethod = { type: 'card'; number: string } | { type: 'us_bank_account'; accountNumber: string };

/**
 * Pays an open checkout session, as Stripe's hosted page would: 4242… and 4000…0341 pay,
 * 4000 0000 0000 0002 is declined, anything else is an invalid number. A bank debit completes the
 * session unpaid; the billing engine settles it later (./billing.ts). Events are queued for
 * delivery; the caller delivers them before redirecting, like Stripe's near-immediate webhooks.
 */
export function payCheckoutSession(db: EmulatorDb, sessionId: string, method: PaymentMethod, wallNow: number, settleAfterMs = 0): PayResult {
  return db.transaction(
    (tx) => {
      const session = getSession(tx, sessionId);
      if (!session) return { ok: false, message: 'This checkout session does not exist.' };
      if (session.status !== 'open') return { ok: false, message: 'This checkout session is no longer open.' };
      const now = customerTime(tx, session.customer, wallNow);
      const payment = { customer: session.customer, amount: session.amount_total ?? 0, currency: session.currency ?? 'usd', metadata: session.metadata ?? {} };

      if (method.type === 'us_bank_account') {
        if (session.mode !== 'payment') return { ok: false, message: 'Bank debits are for one-time payments here; pay subscriptions by card.' };
        const account = method.accountNumber.replace(/\s+/g, '');
        if (account !== TEST_BANK_ACCOUNTS.success && account !== TEST_BANK_ACCOUNTS.failure)
          return { ok: false, message: 'Use the test account 000123456789 (settles) or 000111111116 (fails).' };
        const intent = createPaymentIntent(tx, { ...payment, method: bankDetails(account) }, 'processing', now);
        intent._settles = { at: wallNow + settleAfterMs, succeeds: account === TEST_BANK_ACCOUNTS.success, session: session.id };
        putObject(tx, intent, now);
        Object.assign(session, { status: 'complete', payment_status: 'unpaid', payment_intent: intent.id });
      } else {
        const card = method.number.replace(/\s+/g, '');
        if (card === TEST_CARDS.declined) return { ok: false, message: 'Your card was declined. Try another card.' };
        if (card !== TEST_CARDS.success && card !== TEST_CARDS.failsLater)
          return { ok: false, message: 'Your card number is invalid. Use the test card 4242 4242 4242 4242.' };
        if (session.mode === 'subscription') session.subscription = startSubscription(tx, session, card, now).id;
        else session.payment_intent = createPaymentIntent(tx, { ...payment, method: cardDetails(card) }, 'succeeded', now).id;
        Object.assign(session, { status: 'complete', payment_status: 'paid' });
      }
      putObject(tx, session, now);
      createEvent(tx, 'checkout.session.completed', session, now);
      return { ok: true, redirectUrl: session.success_url!.replace('{CHECKOUT_SESSION_ID}', session.id) };
    },
    { behavior: 'immediate' },
  );
}

export function expireCheckoutSession(db: EmulatorDb, sessionId: string, wallNow: number): string | null {
  return db.transaction((tx) => {
    const session = getSession(tx, sessionId);
    if (!session) return null;
    if (session.status === 'open') {
      const now = customerTime(tx, session.customer, wallNow);
      session.status = 'expired';
      putObject(tx, session, now);
      createEvent(tx, 'checkout.session.expired', session, now);
    }
    return session.cancel_url ?? null;
  });
}
