import type Stripe from 'stripe';
import type { EmulatorQueryable } from './db';
import { addDuration, type Duration } from '../../payments/duration';
import { createEvent, getObject, newId, putObject, seconds } from './store';

/**
 * The Stripe objects the emulator makes, typed with the SDK's own types (the fields it fills), so
 * the compiler checks them against the API version the SDK pins.
 */
export type EmulatedPrice = Pick<Stripe.Price, 'id' | 'object' | 'currency' | 'unit_amount' | 'type'> & {
  recurring: Pick<Stripe.Price.Recurring, 'interval' | 'interval_count'> | null;
  product_data: { name: string };
};
export type EmulatedLineItem = Pick<Stripe.LineItem, 'id' | 'object' | 'amount_total' | 'currency' | 'description' | 'quantity'> & { price: EmulatedPrice };
export type EmulatedSession = Pick<
  Stripe.Checkout.Session,
  | 'id'
  | 'object'
  | 'mode'
  | 'status'
  | 'payment_status'
  | 'url'
  | 'success_url'
  | 'cancel_url'
  | 'metadata'
  | 'amount_total'
  | 'currency'
  | 'created'
  | 'expires_at'
  | 'customer_email'
> & {
  customer: string;
  subscription: string | null;
  payment_intent: string | null;
  line_items: { object: 'list'; data: EmulatedLineItem[] };
  _subscription_metadata: Record<string, string>;
  _trial_days: number | null;
};
export type EmulatedSubscriptionItem = Pick<
  Stripe.SubscriptionItem,
  'id' | 'object' | 'quantity' | 'current_period_start' | 'current_period_end' | 'subscription'
> & {
  price: EmulatedPrice;
};
export type EmulatedSubscription = Pick<
  Stripe.Subscription,
  'id' | 'object' | 'status' | 'metadata' | 'cancel_at_period_end' | 'canceled_at' | 'ended_at' | 'start_date' | 'trial_end' | 'created'
> & { customer: string; latest_invoice: string | null; items: { object: 'list'; data: EmulatedSubscriptionItem[] } };
export type EmulatedInvoice = Pick<
  Stripe.Invoice,
  'id' | 'object' | 'status' | 'amount_paid' | 'amount_due' | 'currency' | 'billing_reason' | 'period_start' | 'period_end' | 'created'
> & {
  customer: string;
  parent: { type: 'subscription_details'; subscription_details: { subscription: string; metadata: Record<string, string> } };
  lines: { object: 'list'; data: { id: string; object: 'line_item'; amount: number; quantity: number; period: { start: number; end: number } }[] };
};
export type EmulatedPaymentIntent = Pick<Stripe.PaymentIntent, 'id' | 'object' | 'amount' | 'currency' | 'status' | 'metadata' | 'created'> & {
  customer: string;
  latest_charge: string;
};
export type EmulatedCharge = Pick<
  Stripe.Charge,
  'id' | 'object' | 'amount' | 'amount_refunded' | 'refunded' | 'disputed' | 'currency' | 'status' | 'paid' | 'created'
> & {
  customer: string;
  payment_intent: string;
};

export function intervalOf(price: EmulatedPrice): Duration {
  return [price.recurring!.interval_count, price.recurring!.interval as Duration[1]];
}

/** Starts a paid (or trialing) subscription from a completed checkout session. */
export function startSubscription(tx: EmulatorQueryable, session: EmulatedSession, now: number): EmulatedSubscription {
  const line = session.line_items.data[0]!;
  const start = now;
  const trialEnd = session._trial_days ? start + session._trial_days * 86_400_000 : null;
  const periodEnd = trialEnd ?? addDuration(start, intervalOf(line.price));
  const id = newId('sub');
  const subscription: EmulatedSubscription = {
    id,
    object: 'subscription',
    customer: session.customer,
    status: trialEnd ? 'trialing' : 'active',
    metadata: session._subscription_metadata,
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    start_date: seconds(start),
    trial_end: trialEnd ? seconds(trialEnd) : null,
    created: seconds(now),
    latest_invoice: null,
    items: {
      object: 'list',
      data: [
        {
          id: newId('si'),
          object: 'subscription_item',
          price: line.price,
          quantity: line.quantity ?? 1,
          current_period_start: seconds(start),
          current_period_end: seconds(periodEnd),
          subscription: id,
        },
      ],
    },
  };
  const invoice = payInvoice(tx, subscription, 'subscription_create', trialEnd ? 0 : (line.amount_total ?? 0), now);
  subscription.latest_invoice = invoice.id;
  putObject(tx, subscription, now);
  createEvent(tx, 'customer.subscription.created', subscription, now);
  createEvent(tx, 'invoice.paid', invoice, now);
  return subscription;
}

function payInvoice(
  tx: EmulatorQueryable,
  subscription: EmulatedSubscription,
  reason: 'subscription_create' | 'subscription_cycle',
  amount: number,
  now: number,
): EmulatedInvoice {
  const item = subscription.items.data[0]!;
  const invoice: EmulatedInvoice = {
    id: newId('in'),
    object: 'invoice',
    customer: subscription.customer,
    status: 'paid',
    amount_paid: amount,
    amount_due: amount,
    currency: item.price.currency,
    billing_reason: reason,
    period_start: item.current_period_start,
    period_end: item.current_period_end,
    created: seconds(now),
    parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id, metadata: subscription.metadata ?? {} } },
    lines: {
      object: 'list',
      data: [
        {
          id: newId('il'),
          object: 'line_item',
          amount,
          quantity: item.quantity ?? 1,
          period: { start: item.current_period_start, end: item.current_period_end },
        },
      ],
    },
  };
  return putObject(tx, invoice, now);
}

/** A period ended: renew (new invoice, paid) or, when cancelled at period end, end it. */
export function rollSubscription(tx: EmulatorQueryable, subscription: EmulatedSubscription, now: number) {
  const item = subscription.items.data[0]!;
  const periodEnd = item.current_period_end * 1000;
  if (subscription.cancel_at_period_end) {
    Object.assign(subscription, { status: 'canceled', canceled_at: seconds(periodEnd), ended_at: seconds(periodEnd) });
    putObject(tx, subscription, now);
    createEvent(tx, 'customer.subscription.deleted', subscription, now);
    return;
  }
  item.current_period_start = item.current_period_end;
  item.current_period_end = seconds(addDuration(periodEnd, intervalOf(item.price)));
  subscription.status = 'active';
  const invoice = payInvoice(tx, subscription, 'subscription_cycle', (item.price.unit_amount ?? 0) * (item.quantity ?? 1), now);
  subscription.latest_invoice = invoice.id;
  putObject(tx, subscription, now);
  createEvent(tx, 'customer.subscription.updated', subscription, now);
  createEvent(tx, 'invoice.paid', invoice, now);
}

export function cancelSubscriptionNow(tx: EmulatorQueryable, subscription: EmulatedSubscription, now: number) {
  Object.assign(subscription, { status: 'canceled', canceled_at: seconds(now), ended_at: seconds(now) });
  putObject(tx, subscription, now);
  createEvent(tx, 'customer.subscription.deleted', subscription, now);
}

export function getSession(tx: EmulatorQueryable, id: string) {
  return getObject<EmulatedSession & { customer: string }>(tx, id, 'checkout.session');
}
