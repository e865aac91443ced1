import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { Db, Tx } from '../../db';
import { get, run, statement, type Work } from '../../db/work';
import { stripeEvent } from '../../db/schema';
import type { CustomerClock } from '../clock';
import { recordNotice } from '../notices/notices';
import { catalog } from './catalog';
import { customerExists, type CustomerRef } from './customer-ref';
import { findPurchase, isLive, type PurchaseRow } from './purchase-rows';
import { createPurchase, endPurchase, revokePeriod, revokePurchase, updatePurchase } from './purchases';
import { lockedPurchases } from './settlement';

/**
 * Stripe → purchases. Following Stripe's fulfillment guidance, every path (webhook, return page)
 * calls the same idempotent functions, and they re-read the object from Stripe instead of trusting
 * the event's copy, so events may arrive late, twice or in any order and the result is the same.
 */

export type StripeDeps = { db: Db; stripe: Stripe; now: CustomerClock };

/** What Tally puts on every checkout session and subscription, so handlers need no lookup. */
const metadataSchema = z.object({
  customerType: z.enum(['user', 'team']),
  customerId: z.string().min(1),
  productId: z.string().min(1),
  quantity: z.coerce.number().int().positive().default(1),
});

function parseMetadata(metadata: Stripe.Metadata | null | undefined) {
  const parsed = metadataSchema.safeParse(metadata ?? {});
  if (!parsed.success) return null; // not a Tally checkout (another app on the same Stripe account)
  const product = catalog.products[parsed.data.productId];
  if (!product) throw new Error(`Stripe object names unknown product ${parsed.data.productId}`);
  const customer: CustomerRef = { type: parsed.data.customerType, id: parsed.data.customerId };
  return { ...parsed.data, product, customer };
}

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : (value?.id ?? null));

// Statements: every event reads and writes these (../../db/work.ts).
const recordEventStatement = statement((tx) =>
  tx
    .insert(stripeEvent)
    .values({ id: sql.placeholder('id'), type: sql.placeholder('type'), processedAt: sql.placeholder('at') })
    .onConflictDoNothing(),
);
const seenStatement = statement((tx) =>
  tx
    .select({ id: stripeEvent.id })
    .from(stripeEvent)
    .where(eq(stripeEvent.id, sql.placeholder('id'))),
);

/** True the first time an event id is seen; false for a redelivery. Runs in the effects' transaction. */
function* recordEvent(_tx: Tx, event: { id: string; type: string } | undefined, now: number): Work<boolean> {
  if (!event) return true;
  return (yield* run(recordEventStatement, { id: event.id, type: event.type, at: now })) === 1;
}

type EventRef = { id: string; type: string };

/** A redelivered event needs no call to Stripe at all. */
async function seenBefore(db: Db, event: EventRef | undefined): Promise<boolean> {
  if (!event) return false;
  return !!(await db.read(() => get(seenStatement, { id: event.id })));
}

/** The session with its payment's charge, or its subscription's latest invoice: one round trip. */
export function retrieveCheckoutSession(stripe: Stripe, sessionId: string): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent.latest_charge', 'subscription.latest_invoice'] });
}

/** Whose checkout this is, from the metadata Tally put on it; null for another app's session. */
export function checkoutCustomer(session: Stripe.Checkout.Session): CustomerRef | null {
  const parsed = metadataSchema.safeParse(session.metadata ?? {});
  return parsed.success ? { type: parsed.data.customerType, id: parsed.data.customerId } : null;
}

/** What a completed checkout bought, charged and added, for the return page; null for another app's session. */
export function checkoutSummary(session: Stripe.Checkout.Session) {
  const meta = parseMetadata(session.metadata);
  if (!meta) return null;
  const added = Object.entries(meta.product.includedItems).map(([itemId, included]) => ({
    itemId,
    displayName: catalog.items[itemId]!.displayName,
    quantity: included.quantity * meta.quantity,
  }));
  return { productName: meta.product.displayName, quantity: meta.quantity, charged: session.amount_total ?? 0, currency: session.currency ?? 'usd', added };
}

/** Records what a checkout session paid for, as Stripe has it now. */
export async function fulfillCheckout(deps: StripeDeps, sessionId: string, event?: EventRef): Promise<void> {
  if (await seenBefore(deps.db, event)) return;
  await fulfillCheckoutSession(deps, await retrieveCheckoutSession(deps.stripe, sessionId), event);
}

/** Fulfills a session already retrieved with `retrieveCheckoutSession`. */
export async function fulfillCheckoutSession({ db, stripe, now }: StripeDeps, session: Stripe.Checkout.Session, event?: EventRef): Promise<void> {
  const paid = session.status === 'complete' && (session.payment_status === 'paid' || session.payment_status === 'no_payment_required');
  if (paid && session.mode === 'subscription' && session.subscription) {
    const subscription = typeof session.subscription === 'string' ? await retrieveSubscription(stripe, session.subscription) : session.subscription;
    await applySubscription({ db, stripe, now }, subscription, event);
    return;
  }
  const meta = parseMetadata(session.metadata);
  const intent = typeof session.payment_intent === 'object' ? session.payment_intent : null;
  const paymentIntentId = idOf(session.payment_intent);
  const charge = intent && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const outcome = await db.write(function* (tx) {
    const at = now(meta?.customer);
    if (!(yield* recordEvent(tx, event, at)) || !paid || !meta || !paymentIntentId) return 'nothing';
    // The buyer's purchases, read under its lock: a payment fulfilled before is among them (and
    // its unique key would refuse a second row anyway).
    if (!(yield* customerExists(tx, meta.customer))) return 'refund';
    const purchases = yield* lockedPurchases(tx, meta.customer, at);
    if (purchases.some((p) => p.stripePaymentIntentId === paymentIntentId)) return 'nothing';
    const created = yield* createPurchase(
      tx,
      {
        customer: meta.customer,
        productId: meta.productId,
        product: meta.product,
        quantity: meta.quantity,
        source: 'stripe',
        status: 'active',
        startedAt: at,
        paidThrough: null,
        stripePaymentIntentId: paymentIntentId,
      },
      at,
      purchases,
    );
    // A refund or dispute that was handled before this purchase existed still wins.
    if (charge?.refunded || charge?.disputed) yield* revokePurchase(tx, created.id, at);
    return 'fulfilled';
  });
  // Paid by a user or team deleted meanwhile (a checkout left open in another tab): nobody is left
  // to hold what it bought, so the money goes back.
  if (outcome === 'refund' && !charge?.refunded) await stripe.refunds.create({ payment_intent: paymentIntentId! });
}

function retrieveSubscription(stripe: Stripe, id: string) {
  return stripe.subscriptions.retrieve(id, { expand: ['latest_invoice'] });
}

const liveStatuses = new Set<Stripe.Subscription.Status>(['active', 'trialing', 'past_due']);

export async function syncSubscription(deps: StripeDeps, subscriptionId: string, event?: EventRef): Promise<void> {
  if (await seenBefore(deps.db, event)) return;
  await applySubscription(deps, await retrieveSubscription(deps.stripe, subscriptionId), event);
}

/** Brings the purchase of a subscription (fetched from Stripe with its latest invoice) up to date. */
async function applySubscription({ db, stripe, now }: StripeDeps, subscription: Stripe.Subscription, event?: EventRef): Promise<void> {
  const meta = parseMetadata(subscription.metadata);
  const item = subscription.items.data[0];
  const latestInvoice = typeof subscription.latest_invoice === 'object' ? subscription.latest_invoice : null;
  // Only a paid invoice extends what the customer may use; a renewal awaiting payment does not.
  const paidThrough = latestInvoice?.status === 'paid' && item ? item.current_period_end * 1000 : undefined;
  const live = liveStatuses.has(subscription.status);
  const status = (live ? subscription.status : 'ended') as PurchaseRow['status'];
  // What to cancel at Stripe afterwards: the plans a new one replaces, or a subscription nobody holds.
  const toCancel = await db.write(function* (tx): Work<string[]> {
    const at = now(meta?.customer);
    if (!(yield* recordEvent(tx, event, at)) || !meta) return [];
    let row = yield* findPurchase(tx, 'stripeSubscriptionId', subscription.id);
    let replacedIds: string[] = [];
    if (!row) {
      if (!live && subscription.status !== 'canceled') return []; // incomplete: nothing was bought yet
      // Started for a user or team deleted meanwhile (an open checkout, a first payment that
      // settled late): it must not go on charging nobody.
      if (!(yield* customerExists(tx, meta.customer))) return live ? [subscription.id] : [];
      const purchases = yield* lockedPurchases(tx, meta.customer, at);
      // A new plan of a product line replaces the live one: its Stripe subscription must end too.
      if (live && meta.product.productLine) {
        replacedIds = purchases
          .filter((p) => isLive(p, at) && p.productLine === meta.product.productLine && p.stripeSubscriptionId)
          .map((p) => p.stripeSubscriptionId!);
      }
      row = yield* createPurchase(
        tx,
        {
          customer: meta.customer,
          productId: meta.productId,
          product: meta.product,
          quantity: item?.quantity ?? meta.quantity,
          source: 'stripe',
          status,
          startedAt: subscription.start_date * 1000,
          paidThrough: paidThrough ?? subscription.start_date * 1000,
          trialEndsAt: subscription.trial_end ? subscription.trial_end * 1000 : null,
          stripeSubscriptionId: subscription.id,
          cancelAtPeriodEnd: subscription.cancel_at_period_end,
        },
        at,
        purchases,
      );
    } else {
      if (status === 'past_due' && row.status !== 'past_due') {
        yield* recordNotice(
          tx,
          {
            id: `payment_failed:${row.id}:${row.paidThrough}`,
            customer: meta.customer,
            kind: 'payment_failed',
            text: `The renewal payment for ${meta.product.displayName} failed. Stripe will retry it; update the payment method on the billing page to keep it.`,
            link: '/billing',
          },
          at,
        );
      }
      yield* updatePurchase(tx, row.id, { paidThrough, status: live ? status : undefined, cancelAtPeriodEnd: subscription.cancel_at_period_end }, at);
    }
    if (!live) yield* endPurchase(tx, row.id, (subscription.ended_at ?? subscription.canceled_at ?? Math.floor(at / 1000)) * 1000, at, 'ended');
    return replacedIds;
  });
  for (const id of toCancel) {
    const old = id === subscription.id ? subscription : await stripe.subscriptions.retrieve(id);
    if (old.status !== 'canceled') await stripe.subscriptions.cancel(id, { prorate: true });
  }
}

/** The subscription invoice a payment paid, with the period it paid for; null for other payments. */
async function invoiceOfPayment(stripe: Stripe, paymentIntentId: string) {
  const payments = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntentId }, expand: ['data.invoice'] });
  const invoice = payments.data[0]?.invoice;
  if (!invoice || typeof invoice === 'string' || invoice.deleted) return null;
  const subscriptionId = invoiceSubscriptionId(invoice);
  const line = invoice.lines.data[0];
  return subscriptionId && line ? { id: invoice.id, subscriptionId, period: { start: line.period.start * 1000, end: line.period.end * 1000 } } : null;
}

/**
 * A full refund or a dispute takes back what the payment granted: a one-time purchase, or the
 * period a subscription invoice paid for (`revokePeriod`). A partial refund takes nothing back: it
 * is a goodwill gesture or a price correction, and items have no price to prorate.
 */
export async function revokePayment({ db, stripe, now }: StripeDeps, paymentIntentId: string | null, event?: EventRef): Promise<void> {
  if (await seenBefore(db, event)) return;
  const oneTime = paymentIntentId && (await db.read((tx) => findPurchase(tx, 'stripePaymentIntentId', paymentIntentId)));
  // Not a one-time purchase (or not fulfilled yet, and fulfillment checks the charge): an invoice's?
  const invoice = paymentIntentId && !oneTime ? await invoiceOfPayment(stripe, paymentIntentId) : null;
  await db.write(function* (tx) {
    if (!(yield* recordEvent(tx, event, now())) || !paymentIntentId) return;
    const row = yield* findPurchase(tx, 'stripePaymentIntentId', paymentIntentId);
    if (row) {
      yield* revokePurchase(tx, row.id, now({ type: row.customerType, id: row.customerId }), { stripeEventId: event?.id, actor: 'stripe' });
      return;
    }
    if (!invoice) return;
    const subscription = yield* findPurchase(tx, 'stripeSubscriptionId', invoice.subscriptionId);
    // Its checkout is not fulfilled yet: fail, so Stripe redelivers the refund once it is.
    if (!subscription) throw new Error(`Refund of invoice ${invoice.id} before its subscription ${invoice.subscriptionId} is recorded; retry later`);
    const customer = { type: subscription.customerType, id: subscription.customerId };
    yield* revokePeriod(tx, subscription.id, invoice.period, now(customer), { stripeEventId: event?.id, actor: 'stripe' });
  });
}

/**
 * A refund or dispute event names a charge: it is read again from Stripe, as every other object,
 * and only a charge Stripe says is refunded in full or disputed takes anything back. An event's
 * body is never trusted for what it takes.
 */
async function revokeCharge(deps: StripeDeps, chargeId: string | null, event: EventRef): Promise<void> {
  if (await seenBefore(deps.db, event)) return;
  const charge = chargeId ? await deps.stripe.charges.retrieve(chargeId) : null;
  await revokePayment(deps, charge && (charge.refunded || charge.disputed) ? idOf(charge.payment_intent) : null, event);
}

/** Stripe's notice three days before a trial ends (`customer.subscription.trial_will_end`): tell the customer, once. */
async function noteTrialEnding({ db, now }: StripeDeps, subscription: Stripe.Subscription, event: EventRef): Promise<void> {
  if (await seenBefore(db, event)) return;
  await db.write(function* (tx) {
    const row = yield* findPurchase(tx, 'stripeSubscriptionId', subscription.id);
    const customer = row ? { type: row.customerType, id: row.customerId } : undefined;
    if (!(yield* recordEvent(tx, event, now(customer))) || !row || !customer) return;
    if (row.status !== 'trialing' || !subscription.trial_end) return;
    const ends = new Date(subscription.trial_end * 1000).toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });
    const name = catalog.products[row.productId]?.displayName ?? row.productId;
    yield* recordNotice(
      tx,
      {
        id: `trial_ending:${row.id}`,
        customer,
        kind: 'trial_ending',
        text: `Your free trial of ${name} ends on ${ends}; then it renews as a paid plan. Cancel before then on the billing page if you do not want it.`,
        link: '/billing',
      },
      now(customer),
    );
  });
}

function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  return idOf(invoice.parent?.subscription_details?.subscription);
}

/** The webhook's dispatcher. Unknown types are acknowledged and ignored. */
export async function handleStripeEvent(deps: StripeDeps, event: Stripe.Event): Promise<'handled' | 'ignored'> {
  const ref = { id: event.id, type: event.type };
  switch (event.type) {
    // A failed bank debit grants nothing: fulfilling re-reads the session, finds it unpaid and only
    // records the event; the return page tells the buyer (it reads the payment from Stripe).
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed': {
      await fulfillCheckout(deps, event.data.object.id, ref);
      return 'handled';
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const subscriptionId = invoiceSubscriptionId(event.data.object);
      if (subscriptionId) await syncSubscription(deps, subscriptionId, ref);
      return 'handled';
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      await syncSubscription(deps, event.data.object.id, ref);
      return 'handled';
    }
    case 'customer.subscription.trial_will_end': {
      await syncSubscription(deps, event.data.object.id); // the purchase exists, whatever arrived first
      await noteTrialEnding(deps, event.data.object, ref);
      return 'handled';
    }
    case 'charge.refunded': {
      await revokeCharge(deps, event.data.object.id, ref);
      return 'handled';
    }
    case 'charge.dispute.created': {
      await revokeCharge(deps, idOf(event.data.object.charge), ref);
      return 'handled';
    }
    default:
      return 'ignored';
  }
}
