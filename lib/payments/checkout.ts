import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../../db';
import { stripeCustomer } from '../../db/schema';
import { get, run, type Work } from '../../db/work';
import { AppError } from '../errors';
import { resolveReturnPath } from '../http/return-path';
import type { CustomerRef } from './customer-ref';
import { addDuration } from './duration';
import { checkPurchasable, trialOffered } from './products';
import { listPurchases } from './purchase-rows';
import type { StripeDeps } from './stripe-sync';

export type CheckoutDeps = StripeDeps & { appUrl: string };

/** A developer passed `returnUrl`: an unsafe one is refused with a clear error, never replaced silently. */
export function toReturnPath(returnUrl: string | undefined, appUrl: string): string {
  if (returnUrl === undefined) return '/dashboard';
  const path = resolveReturnPath(returnUrl, appUrl);
  if (!path) throw new AppError('invalid_input', 'returnUrl must be a page of this app.');
  return path;
}

/** The Stripe customer of a Tally customer: its row, or null before the first checkout. */
export function* findStripeCustomer(tx: Tx, customer: CustomerRef): Work<string | null> {
  const where = and(eq(stripeCustomer.customerType, customer.type), eq(stripeCustomer.customerId, customer.id));
  return (yield* get(tx.select().from(stripeCustomer).where(where)))?.stripeCustomerId ?? null;
}

async function ensureStripeCustomer({ db, stripe }: CheckoutDeps, customer: CustomerRef, contact: { email?: string; name?: string }) {
  const existing = await db.read((tx) => findStripeCustomer(tx, customer));
  if (existing) return existing;
  const created = await stripe.customers.create({ ...contact, metadata: { customerType: customer.type, customerId: customer.id } });
  // Two first checkouts at once: the first row wins and both use it.
  return db.write(function* (tx) {
    yield* run(tx.insert(stripeCustomer).values({ customerType: customer.type, customerId: customer.id, stripeCustomerId: created.id }).onConflictDoNothing());
    return (yield* findStripeCustomer(tx, customer))!;
  });
}

/** Stack Auth's `createCheckoutUrl`: a Stripe-hosted Checkout Session for a catalog product. */
export async function createCheckoutUrl(
  deps: CheckoutDeps,
  customer: CustomerRef,
  input: { productId: string; quantity?: number; returnUrl?: string; contact?: { email?: string; name?: string } },
): Promise<string> {
  const quantity = input.quantity ?? 1;
  const returnPath = toReturnPath(input.returnUrl, deps.appUrl);
  const { id, product, trial } = await deps.db.write(function* (tx) {
    const purchasable = yield* checkPurchasable(tx, customer, input.productId, quantity, { server: false, now: deps.now(customer) });
    return { ...purchasable, trial: trialOffered(purchasable.id, purchasable.product, yield* listPurchases(tx, customer)) };
  });
  if (product.price === 'include-by-default') throw new AppError('not_purchasable', 'Nothing to buy.');
  const price = product.price;
  const metadata = { customerType: customer.type, customerId: customer.id, productId: id, quantity: String(quantity) };
  const next = encodeURIComponent(returnPath);
  const trialDays = trial ? Math.round(addDuration(0, trial) / 86_400_000) : undefined;
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: price.interval ? 'subscription' : 'payment',
    customer: await ensureStripeCustomer(deps, customer, input.contact ?? {}),
    line_items: [
      {
        quantity,
        price_data: {
          currency: price.currency,
          unit_amount: price.amount,
          product_data: { name: product.displayName },
          ...(price.interval ? { recurring: { interval: price.interval[1], interval_count: price.interval[0] } } : {}),
        },
      },
    ],
    success_url: `${deps.appUrl}/checkout/return?session_id={CHECKOUT_SESSION_ID}&next=${next}`,
    cancel_url: `${deps.appUrl}/checkout/return?canceled=1&next=${next}`,
    metadata,
    ...(price.interval ? { subscription_data: { metadata, ...(trialDays ? { trial_period_days: trialDays } : {}) } } : { payment_intent_data: { metadata } }),
  };
  const session = await deps.stripe.checkout.sessions.create(params);
  if (!session.url) throw new Error('Stripe returned a checkout session without a URL');
  return session.url;
}
