import type Stripe from 'stripe';
import { AppError } from '../errors';
import { findStripeCustomer, toReturnPath, type CheckoutDeps } from './checkout';
import type { CustomerRef } from './customer-ref';
import { getPurchase, livePurchases, type PurchaseRow } from './purchase-rows';
import { settleCustomerIfDue } from './settlement';
import { syncSubscription, type StripeDeps } from './stripe-sync';

/** Managing what a customer already pays for: cancel or resume a subscription, Stripe's billing portal. */

/** Cancel at period end, or resume; Stripe is the source of truth, then re-synced. */
export async function setCancelAtPeriodEnd(deps: StripeDeps, customer: CustomerRef, purchaseId: string, cancel: boolean) {
  const row = await deps.db.write(function* (tx) {
    yield* settleCustomerIfDue(tx, customer, deps.now(customer));
    const p = yield* getPurchase(tx, purchaseId);
    const owned =
      p &&
      p.customerType === customer.type &&
      p.customerId === customer.id &&
      (yield* livePurchases(tx, customer, deps.now(customer))).some((l) => l.id === p.id);
    if (!owned || !p.stripeSubscriptionId) throw new AppError('not_found', 'No such subscription.');
    return p;
  });
  await deps.stripe.subscriptions.update(row.stripeSubscriptionId!, { cancel_at_period_end: cancel });
  await syncSubscription(deps, row.stripeSubscriptionId!);
}

/**
 * Ends subscriptions at once, before their owner is deleted: Stripe stops charging now, the current
 * period is not refunded, and the purchases are synced as ended (their records stay).
 */
export async function endSubscriptionsNow(deps: StripeDeps, subscriptions: PurchaseRow[]): Promise<void> {
  for (const { stripeSubscriptionId } of subscriptions) {
    if (!stripeSubscriptionId) continue;
    await deps.stripe.subscriptions.cancel(stripeSubscriptionId);
    await syncSubscription(deps, stripeSubscriptionId);
  }
}

/** Stripe's billing portal for this customer, or a clear error when it has never paid. */
export async function createPortalUrl(deps: CheckoutDeps, customer: CustomerRef, returnPath: string): Promise<string> {
  const stripeCustomerId = await deps.db.read((tx) => findStripeCustomer(tx, customer));
  if (!stripeCustomerId) throw new AppError('not_found', 'There is no billing account yet: buy something first.');
  const session = await deps.stripe.billingPortal.sessions.create({
    customer: stripeCustomerId,
    return_url: `${deps.appUrl}${toReturnPath(returnPath, deps.appUrl)}`,
  });
  return session.url;
}

export type Payment = {
  id: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  at: number;
  status: string;
  receiptUrl: string | null;
  /** "Visa •••• 4242", "Bank account •••• 6789": what paid it. */
  method: string | null;
};

function describeMethod(details: Stripe.Charge.PaymentMethodDetails | null): string | null {
  if (details?.card) {
    const brand = details.card.brand ?? 'card';
    return `${brand.charAt(0).toUpperCase()}${brand.slice(1)} •••• ${details.card.last4}`;
  }
  if (details?.us_bank_account) return `Bank account •••• ${details.us_bank_account.last4}`;
  return null;
}

/** The customer's latest payments at Stripe (one-time and subscription charges), newest first, with their receipts. */
export async function listPayments(deps: CheckoutDeps & { emulator: boolean }, customer: CustomerRef, limit = 20): Promise<Payment[]> {
  const stripeCustomerId = await deps.db.read((tx) => findStripeCustomer(tx, customer));
  if (!stripeCustomerId) return [];
  const charges = await deps.stripe.charges.list({ customer: stripeCustomerId, limit });
  return charges.data.map((charge) => ({
    id: charge.id,
    amount: charge.amount,
    amountRefunded: charge.amount_refunded,
    currency: charge.currency,
    at: charge.created * 1000,
    status: charge.refunded
      ? 'Refunded'
      : charge.amount_refunded > 0
        ? 'Partly refunded'
        : charge.disputed
          ? 'Disputed'
          : charge.status === 'succeeded'
            ? 'Paid'
            : 'Failed',
    // The emulator's receipts are its own pages; Stripe's are on receipt_url.
    receiptUrl: deps.emulator ? `/emulator/receipts/${charge.id}` : (charge.receipt_url ?? null),
    method: describeMethod(charge.payment_method_details),
  }));
}
