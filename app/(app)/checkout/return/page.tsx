import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { customerFor } from '@/app/_server/authorized-customer';
import { getAppContext } from '@/app/_server/app-context';
import { getEnv } from '@/lib/env';
import { formatDate, formatMoney } from '@/lib/payments/format';
import { safeReturnPath } from '@/lib/http/return-path';
import { canAccessCustomer } from '@/lib/customers/access';
import { checkoutCustomer, checkoutSummary, fulfillCheckoutSession, retrieveCheckoutSession } from '@/lib/payments/stripe-sync';
import { Refresher } from './refresher';

export const metadata: Metadata = { title: 'Checkout · Tally' };

type Search = { session_id?: string; canceled?: string; next?: string };

/**
 * Where Stripe sends the buyer back. It syncs the session itself (the webhook may not have
 * arrived yet) and shows "processing" until the purchase is recorded, never stale items as final.
 */
export default async function CheckoutReturnPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { session_id: sessionId, canceled, next } = await searchParams;
  const { user } = await getCustomerContext();
  const back = safeReturnPath(next, getEnv().appUrl);

  if (canceled || !sessionId) {
    return (
      <div className="card max-w-lg space-y-3">
        <h1 className="text-xl font-semibold">Checkout canceled</h1>
        <p className="text-muted-foreground">Nothing was charged and nothing changed.</p>
        <Link href="/pricing" className="link">
          Back to pricing
        </Link>
      </div>
    );
  }

  const deps = getAppContext();
  // One read of the session per poll (this page refreshes every second while payment is processing).
  const session = await retrieveCheckoutSession(deps.stripe, sessionId).catch(() => null);
  const customer = session && checkoutCustomer(session);
  if (!session || !customer) {
    return <p className="card">We could not find this checkout. If you were charged, it will appear on your billing page shortly.</p>;
  }
  // Someone else's checkout is "not found", before anything is done with it.
  if (!(await canAccessCustomer(deps.db, user.id, customer, 'read'))) notFound();
  // Idempotent and trusting only what Stripe says; the webhook may not have arrived yet.
  await fulfillCheckoutSession(deps, session);

  const intent = typeof session.payment_intent === 'object' ? session.payment_intent : null;
  if (session.payment_status === 'unpaid' && intent && ['requires_payment_method', 'canceled'].includes(intent.status)) {
    return (
      <div className="card max-w-lg space-y-3">
        <div role="alert">
          <h1 className="text-xl font-semibold">Your payment failed</h1>
        </div>
        <p className="text-muted-foreground">
          The bank debit did not go through: nothing was charged and nothing was added. Try again with another payment method.
        </p>
        <Link href="/pricing" className="btn-primary">
          Back to pricing
        </Link>
      </div>
    );
  }

  if (session.status !== 'complete' || session.payment_status === 'unpaid') {
    return (
      <div className="card max-w-lg space-y-3" aria-busy="true">
        <Refresher />
        <div role="status">
          <h1 className="text-xl font-semibold">Processing your payment…</h1>
        </div>
        <p className="text-muted-foreground">
          {intent?.status === 'processing'
            ? 'Your bank debit is on its way: a real bank takes up to four business days, the emulator a few seconds. Your items are added as soon as it settles; you may leave this page.'
            : 'This page updates by itself as soon as Stripe confirms it.'}
        </p>
      </div>
    );
  }

  const items = await (await customerFor(user, customer, 'read')).listItems();
  const summary = checkoutSummary(session);
  const subscription = typeof session.subscription === 'object' ? session.subscription : null;
  const trialEnd = subscription?.status === 'trialing' && subscription.trial_end ? subscription.trial_end * 1000 : null;
  // A one-time payment's receipt (its charge comes expanded): the emulator's own page, or Stripe's
  // receipt_url; otherwise (a subscription's first invoice) the billing page lists every receipt.
  const charge = intent?.latest_charge ?? null;
  const chargeId = typeof charge === 'string' ? charge : (charge?.id ?? null);
  const receiptUrl = deps.emulator ? chargeId && `/emulator/receipts/${chargeId}` : typeof charge === 'object' ? (charge?.receipt_url ?? null) : null;
  return (
    <div className="card max-w-lg space-y-4">
      <div role="status">
        <h1 className="text-xl font-semibold">{trialEnd ? 'Free trial started' : 'Payment complete'}</h1>
      </div>
      {trialEnd ? (
        <p className="text-muted-foreground" data-testid="trial-notice">
          Nothing was charged today. Your trial ends on {formatDate(trialEnd)}; then the plan renews at its price unless you cancel before.
        </p>
      ) : null}
      {summary ? (
        <div className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="checkout-summary">
          <p>
            {summary.productName}
            {summary.quantity > 1 ? ` × ${summary.quantity}` : ''} · charged {formatMoney(summary.charged, summary.currency)}
          </p>
          <p className="font-medium text-success">Added: {summary.added.map((a) => `+${a.quantity.toLocaleString('en-US')} ${a.displayName}`).join(', ')}</p>
          {summary.charged > 0 ? (
            <p>
              {receiptUrl ? (
                <a href={receiptUrl} className="link">
                  Receipt
                </a>
              ) : (
                <Link href="/billing" className="link">
                  Receipts on the billing page
                </Link>
              )}
            </p>
          ) : null}
        </div>
      ) : null}
      <p className="text-muted-foreground">Thank you! Your items are ready:</p>
      <ul className="divide-y divide-border">
        {items.map((item) => (
          <li key={item.id} className="flex justify-between py-2">
            <span>{item.displayName}</span>
            <span className="font-semibold tabular-nums" data-testid={`return-quantity-${item.id}`}>
              {item.quantity.toLocaleString('en-US')}
            </span>
          </li>
        ))}
      </ul>
      <Link href={back} className="btn-primary">
        Continue
      </Link>
    </div>
  );
}
