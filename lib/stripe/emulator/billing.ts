import { addDuration } from '../../payments/duration';
import type { EmulatorDb, EmulatorQueryable } from './db';
import { TEST_CARDS } from './cards';
import {
  cancelSubscriptionNow,
  createInvoice,
  getSession,
  intervalOf,
  markInvoicePaid,
  succeed,
  type EmulatedInvoice,
  type EmulatedPaymentIntent,
  type EmulatedSubscription,
} from './objects';
import { clockOffset, createEvent, customerTime, getObject, listDue, listObjects, ownerOfCustomer, putObject, seconds, setClockOffset } from './store';

/**
 * The emulator's billing engine, Stripe's recurring side: it runs on a timer (every second) and right
 * after a test clock moves, so renewals happen whether or not anyone presses anything.
 *
 * - A live subscription whose period has ended in its customer's time renews: the period moves on
 *   and a draft invoice opens (`customer.subscription.updated`, `invoice.created`), or it ends if it
 *   was set to cancel at period end (`customer.subscription.deleted`).
 * - `collectionDelayMs` of wall time later (Stripe: about an hour) the invoice is finalized and
 *   charged (`invoice.finalized`, then `invoice.paid`). A card that fails later (4000 0000 0000 0341)
 *   fails it (`invoice.payment_failed`, the subscription `past_due`); it is retried after the same
 *   delay, and after the third failed attempt the subscription is cancelled, as Stripe's retry
 *   settings "cancel the subscription" do (Stripe spreads its retries over days; the emulator over
 *   seconds).
 * - A bank debit paid at checkout settles, or fails, after the same delay.
 * - Three days before a trial ends: `customer.subscription.trial_will_end`.
 */
export type BillingOptions = { collectionDelayMs: number };

export const PAYMENT_ATTEMPTS = 3;
/** Stripe tells of a trial's end this long before it. */
const TRIAL_WILL_END_MS = 3 * 24 * 60 * 60 * 1000;

/** Runs every renewal, collection and settlement that is due at `wallNow`. */
export function runBilling(db: EmulatorDb, wallNow: number, options: BillingOptions): void {
  db.transaction(
    (tx) => {
      for (const subscription of listObjects<EmulatedSubscription>(tx, 'subscription')) renewIfDue(tx, subscription, wallNow, options);
      for (const invoice of listDue<EmulatedInvoice>(tx, 'invoice', wallNow)) collect(tx, invoice, wallNow, options);
      for (const intent of listDue<EmulatedPaymentIntent>(tx, 'payment_intent', wallNow)) settleBankDebit(tx, intent, wallNow);
    },
    { behavior: 'immediate' },
  );
}

/** Renews a subscription whose period has ended, once its last invoice is settled (one renewal at a time, as periods catch up). */
function renewIfDue(tx: EmulatorQueryable, subscription: EmulatedSubscription, wallNow: number, options: BillingOptions): void {
  if (subscription.status === 'canceled') return;
  const now = customerTime(tx, subscription.customer, wallNow);
  if (
    subscription.status === 'trialing' &&
    subscription.trial_end &&
    !subscription._trial_will_end_sent &&
    subscription.trial_end * 1000 - TRIAL_WILL_END_MS <= now
  ) {
    subscription._trial_will_end_sent = true;
    putObject(tx, subscription, now);
    createEvent(tx, 'customer.subscription.trial_will_end', subscription, now);
  }
  const item = subscription.items.data[0]!;
  const periodEnd = item.current_period_end * 1000;
  if (periodEnd > now) return;
  const latest = subscription.latest_invoice ? getObject<EmulatedInvoice>(tx, subscription.latest_invoice, 'invoice') : undefined;
  if (latest && latest.status !== 'paid') return; // its renewal is still being collected
  if (subscription.cancel_at_period_end) {
    cancelSubscriptionNow(tx, subscription, periodEnd);
    return;
  }
  item.current_period_start = item.current_period_end;
  item.current_period_end = seconds(addDuration(periodEnd, intervalOf(item.price)));
  if (subscription.status === 'trialing') subscription.status = 'active';
  const invoice = createInvoice(tx, subscription, 'subscription_cycle', (item.price.unit_amount ?? 0) * (item.quantity ?? 1), now);
  invoice._collect_at = wallNow + options.collectionDelayMs;
  putObject(tx, invoice, now);
  subscription.latest_invoice = invoice.id;
  putObject(tx, subscription, now);
  createEvent(tx, 'customer.subscription.updated', subscription, now);
  createEvent(tx, 'invoice.created', invoice, now);
}

/** Finalizes (first attempt) and charges a renewal invoice with the subscription's card. */
function collect(tx: EmulatorQueryable, invoice: EmulatedInvoice, wallNow: number, options: BillingOptions): void {
  const now = customerTime(tx, invoice.customer, wallNow);
  const subscription = getObject<EmulatedSubscription>(tx, invoice.parent.subscription_details.subscription, 'subscription')!;
  if (invoice.status === 'draft') {
    invoice.status = 'open';
    putObject(tx, invoice, now);
    createEvent(tx, 'invoice.finalized', invoice, now);
  }
  if (subscription.status === 'canceled') {
    Object.assign(invoice, { status: 'void', _collect_at: null });
    putObject(tx, invoice, now);
    createEvent(tx, 'invoice.voided', invoice, now);
    return;
  }
  invoice._attempts += 1;
  if (subscription._card !== TEST_CARDS.failsLater || invoice.amount_due === 0) {
    markInvoicePaid(tx, invoice, now);
    createEvent(tx, 'invoice.paid', invoice, now);
    if (subscription.status === 'past_due') {
      subscription.status = 'active';
      putObject(tx, subscription, now);
      createEvent(tx, 'customer.subscription.updated', subscription, now);
    }
    return;
  }
  const lastAttempt = invoice._attempts >= PAYMENT_ATTEMPTS;
  invoice._collect_at = lastAttempt ? null : wallNow + options.collectionDelayMs;
  putObject(tx, invoice, now);
  createEvent(tx, 'invoice.payment_failed', invoice, now);
  if (lastAttempt) {
    cancelSubscriptionNow(tx, subscription, now);
  } else if (subscription.status !== 'past_due') {
    subscription.status = 'past_due';
    putObject(tx, subscription, now);
    createEvent(tx, 'customer.subscription.updated', subscription, now);
  }
}

/** A bank debit from checkout settles: the session is paid, or its payment failed. */
function settleBankDebit(tx: EmulatorQueryable, intent: EmulatedPaymentIntent, wallNow: number): void {
  const now = customerTime(tx, intent.customer, wallNow);
  const { succeeds, session: sessionId } = intent._settles!;
  const session = getSession(tx, sessionId)!;
  delete intent._settles;
  if (succeeds) {
    succeed(tx, intent, now);
    session.payment_status = 'paid';
  } else {
    intent.status = 'requires_payment_method';
    putObject(tx, intent, now);
  }
  putObject(tx, session, now);
  createEvent(tx, succeeds ? 'checkout.session.async_payment_succeeded' : 'checkout.session.async_payment_failed', session, now);
}

/**
 * The test clock of one customer: jumps to the end of the earliest current period of its live
 * subscriptions (a month when there is none), then runs billing, so what is due renews. Other
 * customers' clocks do not move. Returns the customer's new time.
 */
export function advanceToNextPeriod(db: EmulatorDb, owner: string, wallNow: number, options: BillingOptions): number {
  const target = db.transaction(
    (tx) => {
      const now = wallNow + clockOffset(tx, owner);
      const live = listObjects<EmulatedSubscription>(tx, 'subscription').filter((s) => s.status !== 'canceled' && ownerOfCustomer(tx, s.customer) === owner);
      const ends = live.map((s) => s.items.data[0]!.current_period_end * 1000);
      const next = ends.length ? Math.max(now, Math.min(...ends)) + 1000 : addDuration(now, [1, 'month']);
      setClockOffset(tx, owner, next - wallNow);
      return next;
    },
    { behavior: 'immediate' },
  );
  runBilling(db, wallNow, options);
  return target;
}
