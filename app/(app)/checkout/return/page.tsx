import type { Metadata } from 'next';
import Link from 'next/link';
import { getCustomerContext } from '@/app/_server/customer';
import { customerFor } from '@/app/_server/customers';
import { getPaymentsDeps } from '@/app/_server/payments';
import { safeReturnPath } from '@/lib/auth/credentials';
import { authorizeCustomer } from '@/lib/customers/access';
import { fulfillCheckout } from '@/lib/payments/stripe-sync';
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
  const back = safeReturnPath(next);

  if (canceled || !sessionId) {
    return (
      <div className="card max-w-lg space-y-3">
        <h1 className="text-xl font-semibold">Checkout canceled</h1>
        <p className="text-slate-600">Nothing was charged and nothing changed.</p>
        <Link href="/pricing" className="link">
          Back to pricing
        </Link>
      </div>
    );
  }

  const deps = getPaymentsDeps();
  // Fulfilling first is safe for any caller (idempotent, and it trusts only what Stripe says), and
  // it reads the session once: this page is polled every second while payment is processing.
  const session = await fulfillCheckout(deps, sessionId).catch(() => null);
  const type = session?.metadata?.customerType;
  const id = session?.metadata?.customerId;
  if (!session || (type !== 'user' && type !== 'team') || !id) {
    return <p className="card">We could not find this checkout. If you were charged, it will appear on your billing page shortly.</p>;
  }
  const customer = { type, id } as const;
  authorizeCustomer(deps.db, user.id, customer, 'read');

  if (session.status !== 'complete' || session.payment_status === 'unpaid') {
    return (
      <div className="card max-w-lg space-y-3" aria-busy="true">
        <Refresher />
        <div role="status">
          <h1 className="text-xl font-semibold">Processing your payment…</h1>
        </div>
        <p className="text-slate-600">This page updates by itself as soon as Stripe confirms it.</p>
      </div>
    );
  }

  const items = await (await customerFor(user, customer, 'read')).listItems();
  return (
    <div className="card max-w-lg space-y-4">
      <div role="status">
        <h1 className="text-xl font-semibold">Payment complete</h1>
      </div>
      <p className="text-slate-600">Thank you! Your items are ready:</p>
      <ul className="divide-y divide-slate-100">
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
