import type Stripe from 'stripe';
import type { EmulatorQueryable } from './db';
import { addDuration, type Duration } from '../../payments/duration';
import { createEvent, getObject, listObjects, newId, putObject, seconds } from './store';

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
> & {
  customer: string;
  latest_invoice: string | null;
  items: { object: 'list'; data: EmulatedSubscriptionItem[] };
  /** The card the customer paid with at checkout: renewals charge it. */
  _card: string;
  /** `customer.subscription.trial_will_end` was sent (three days before the trial ends, as Stripe does). */
  _trial_will_end_sent?: boolean;
};
export type EmulatedInvoice = Pick<
  Stripe.Invoice,
  'id' | 'object' | 'status' | 'amount_paid' | 'amount_due' | 'currency' | 'billing_reason' | 'period_start' | 'period_end' | 'created'
> & {
  customer: string;
  parent: { type: 'subscription_details'; subscription_details: { subscription: string; metadata: Record<string, string> } };
  lines: { object: 'list'; data: { id: string; object: 'line_item'; amount: number; quantity: number; period: { start: number; end: number } }[] };
  /** Wall-clock time of the next collection attempt (Stripe: about an hour after the period ends, then retries); null when none is due. */
  _collect_at: number | null;
  _attempts: number;
};
/** How a payment was made, as a charge's `payment_method_details` says it (the emulator's two kinds). */
export type EmulatedMethodDetails = { type: 'card'; card: { brand: string; last4: string } } | { type: 'us_bank_account'; us_bank_account: { last4: string } };

export const cardDetails = (number: string): EmulatedMethodDetails => ({ type: 'card', card: { brand: 'visa', last4: number.slice(-4) } });
export const bankDetails = (account: string): EmulatedMethodDetails => ({ type: 'us_bank_account', us_bank_account: { last4: account.slice(-4) } });

export type EmulatedPaymentIntent = Pick<Stripe.PaymentIntent, 'id' | 'object' | 'amount' | 'currency' | 'status' | 'metadata' | 'created'> & {
  customer: string;
  latest_charge: string | null;
  /** What paid it: copied to its charge. */
  _method?: EmulatedMethodDetails;
  /** A bank debit: when it settles (wall clock) and whether it will succeed. */
  _settles?: { at: number; succeeds: boolean; session: string };
};
export type EmulatedCharge = Pick<
  Stripe.Charge,
  'id' | 'object' | 'amount' | 'amount_refunded' | 'refunded' | 'disputed' | 'currency' | 'status' | 'paid' | 'created'
> & {
  customer: string;
  payment_intent: string;
  payment_method_details: EmulatedMethodDetails | null;
};
/** Links an invoice to the payment intent that paid it (Stripe's `invoice_payment`). */
export type EmulatedInvoicePayment = Pick<Stripe.InvoicePayment, 'id' | 'object' | 'amount_paid' | 'amount_requested' | 'currency' | 'status' | 'created'> & {
  customer: string;
  invoice: string;
  payment: { type: 'payment_intent'; payment_intent: string };
};

export function intervalOf(price: EmulatedPrice): Duration {
  return [price.recurring!.interval_count, price.recurring!.interval as Duration[1]];
}

/** A payment intent of `status` (a card: succeeded at once; a bank debit: processing first). */
export function createPaymentIntent(
  tx: EmulatorQueryable,
  {
    customer,
    amount,
    currency,
    metadata,
    method,
  }: { customer: string; amount: number; currency: string; metadata: Record<string, string>; method?: EmulatedMethodDetails },
  status: 'succeeded' | 'processing',
  now: number,
): EmulatedPaymentIntent {
  const intent: EmulatedPaymentIntent = {
    id: newId('pi'),
    object: 'payment_intent',
    amount,
    currency,
    status,
    metadata,
    created: seconds(now),
    customer,
    latest_charge: null,
    ...(method ? { _method: method } : {}),
  };
  return status === 'succeeded' ? succeed(tx, intent, now) : putObject(tx, intent, now);
}

/** The payment went through: its charge is made and the intent succeeds. */
export function succeed(tx: EmulatorQueryable, intent: EmulatedPaymentIntent, now: number): EmulatedPaymentIntent {
  const charge: EmulatedCharge = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_refunded: 0,
    refunded: false,
    disputed: false,
    currency: intent.currency,
    status: 'succeeded',
    paid: true,
    created: seconds(now),
    customer: intent.customer,
    payment_intent: intent.id,
    payment_method_details: intent._method ?? null,
  };
  putObject(tx, charge, now);
  Object.assign(intent, { status: 'succeeded', latest_charge: charge.id });
  return putObject(tx, intent, now);
}

/** Starts a paid (or trialing) subscription from a completed checkout session. */
export function startSubscription(tx: EmulatorQueryable, session: EmulatedSession, card: string, now: number): EmulatedSubscription {
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
    _card: card,
  };
  const invoice = createInvoice(tx, subscription, 'subscription_create', trialEnd ? 0 : (line.amount_total ?? 0), now);
  markInvoicePaid(tx, invoice, now);
  subscription.latest_invoice = invoice.id;
  putObject(tx, subscription, now);
  createEvent(tx, 'customer.subscription.created', subscription, now);
  createEvent(tx, 'invoice.paid', invoice, now);
  return subscription;
}

/** The invoice of a subscription's current period, as a draft. */
export function createInvoice(
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
    status: 'draft',
    amount_paid: 0,
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
    _collect_at: null,
    _attempts: 0,
  };
  return putObject(tx, invoice, now);
}

/** Paid: with a payment (intent, charge, invoice payment) when there was anything to pay. No event: callers send theirs in Stripe's order. */
export function markInvoicePaid(tx: EmulatorQueryable, invoice: EmulatedInvoice, now: number): void {
  if (invoice.amount_due > 0) {
    const subscription = getObject<EmulatedSubscription>(tx, invoice.parent.subscription_details.subscription, 'subscription');
    const payment = createPaymentIntent(
      tx,
      {
        customer: invoice.customer,
        amount: invoice.amount_due,
        currency: invoice.currency,
        metadata: {},
        method: subscription ? cardDetails(subscription._card) : undefined,
      },
      'succeeded',
      now,
    );
    const invoicePayment: EmulatedInvoicePayment = {
      id: newId('inpay'),
      object: 'invoice_payment',
      amount_paid: invoice.amount_due,
      amount_requested: invoice.amount_due,
      currency: invoice.currency,
      status: 'paid',
      created: seconds(now),
      customer: invoice.customer,
      invoice: invoice.id,
      payment: { type: 'payment_intent', payment_intent: payment.id },
    };
    putObject(tx, invoicePayment, now);
  }
  Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, _collect_at: null });
  putObject(tx, invoice, now);
}

/** The payment intent that paid an invoice, through its invoice payment; none for an unpaid or free one. */
export function paymentIntentOfInvoice(tx: EmulatorQueryable, invoice: EmulatedInvoice): EmulatedPaymentIntent | undefined {
  const payment = listObjects<EmulatedInvoicePayment>(tx, 'invoice_payment', invoice.customer).find((p) => p.invoice === invoice.id);
  return payment && getObject<EmulatedPaymentIntent>(tx, payment.payment.payment_intent, 'payment_intent');
}

export function cancelSubscriptionNow(tx: EmulatorQueryable, subscription: EmulatedSubscription, now: number) {
  Object.assign(subscription, { status: 'canceled', canceled_at: seconds(now), ended_at: seconds(now) });
  putObject(tx, subscription, now);
  createEvent(tx, 'customer.subscription.deleted', subscription, now);
}

export function getSession(tx: EmulatorQueryable, id: string) {
  return getObject<EmulatedSession & { customer: string }>(tx, id, 'checkout.session');
}
