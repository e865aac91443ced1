import { demoPowers } from '@/app/_server/demo';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionButton } from '@/app/_components/action-button';
import { getEmulatorDb } from '@/lib/stripe/emulator/db';
import { getEnv } from '@/lib/env';
import { formatDate, formatMoney } from '@/lib/payments/format';
import { paymentIntentOfInvoice, type EmulatedCharge, type EmulatedInvoice, type EmulatedSubscription } from '@/lib/stripe/emulator/objects';
import { getObject, listObjects } from '@/lib/stripe/emulator/store';
import { refundInvoice, setPortalCancelAtPeriodEnd } from '../../actions';

export const metadata: Metadata = { title: 'Billing portal · Stripe emulator' };
export const dynamic = 'force-dynamic';

/** The emulated Stripe customer portal: the customer's subscriptions, cancel at period end, resume. */
export default async function EmulatorPortalPage({ params }: { params: Promise<{ id: string }> }) {
  if (!getEnv().stripe.emulator || !(await demoPowers())) notFound();
  const { id } = await params;
  const db = getEmulatorDb();
  const portal = getObject<{ id: string; object: string; customer: string; return_url: string | null }>(db, id, 'billing_portal.session');
  if (!portal) notFound();
  const subscriptions = listObjects<EmulatedSubscription>(db, 'subscription', portal.customer).filter((s) => s.status !== 'canceled');
  // What Stripe's dashboard shows of this customer's paid invoices, newest first, each with its refund state.
  const invoices = listObjects<EmulatedInvoice>(db, 'invoice', portal.customer)
    .filter((i) => i.status === 'paid' && i.amount_paid > 0)
    .reverse()
    .map((invoice) => {
      const intent = paymentIntentOfInvoice(db, invoice);
      const charge = intent?.latest_charge ? getObject<EmulatedCharge>(db, intent.latest_charge, 'charge') : undefined;
      return { invoice, refunded: charge?.refunded ?? false };
    });

  return (
    <main className="mx-auto max-w-2xl space-y-6 px-6 py-12">
      <p className="text-sm font-medium text-muted-foreground">Tally · test mode billing portal</p>
      <h1 className="text-2xl font-semibold">Your subscriptions</h1>
      {subscriptions.length === 0 ? <p className="text-muted-foreground">No active subscriptions.</p> : null}
      <ul className="space-y-3">
        {subscriptions.map((s) => {
          const item = s.items.data[0]!;
          return (
            <li key={s.id} className="card flex flex-wrap items-center justify-between gap-3">
              <div>
                <p className="font-medium">
                  {item.price.product_data.name} · {formatMoney((item.price.unit_amount ?? 0) * (item.quantity ?? 1), item.price.currency)} /{' '}
                  {item.price.recurring?.interval}
                </p>
                <p className="text-sm text-muted-foreground">
                  {s.cancel_at_period_end
                    ? `Cancels on ${formatDate(item.current_period_end * 1000)}`
                    : `Renews on ${formatDate(item.current_period_end * 1000)}`}
                </p>
              </div>
              <ActionButton
                action={setPortalCancelAtPeriodEnd}
                input={{ portalSessionId: portal.id, subscriptionId: s.id, cancel: !s.cancel_at_period_end }}
                label={s.cancel_at_period_end ? 'Resume subscription' : 'Cancel subscription'}
                pendingLabel="Saving…"
                className={s.cancel_at_period_end ? 'btn-secondary' : 'btn-danger'}
              />
            </li>
          );
        })}
      </ul>
      <h2 className="text-lg font-semibold">Invoices</h2>
      {invoices.length === 0 ? <p className="text-muted-foreground">No paid invoices.</p> : null}
      <ul className="space-y-2">
        {invoices.map(({ invoice, refunded }) => (
          <li key={invoice.id} className="card flex flex-wrap items-center justify-between gap-3" data-testid="portal-invoice">
            <p>
              {formatDate(invoice.period_start * 1000)} – {formatDate(invoice.period_end * 1000)} · {formatMoney(invoice.amount_paid, invoice.currency)}
              {refunded ? <span className="ml-2 badge">Refunded</span> : null}
            </p>
            {refunded ? null : (
              <ActionButton
                action={refundInvoice}
                input={{ portalSessionId: portal.id, invoiceId: invoice.id }}
                label="Refund"
                pendingLabel="Refunding…"
                className="btn-secondary"
              />
            )}
          </li>
        ))}
      </ul>
      <p className="text-xs text-muted-foreground">
        Refunds are a Stripe dashboard action; the emulator offers them here so the demo can show what a refund takes back.
      </p>
      {portal.return_url ? (
        <div className="flex flex-wrap gap-4">
          <a href={portal.return_url} className="link">
            ← Return to Tally
          </a>
          <a href={new URL('/pricing', portal.return_url).toString()} className="link">
            Change plan
          </a>
        </div>
      ) : null}
    </main>
  );
}
