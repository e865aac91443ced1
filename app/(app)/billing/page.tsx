import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionButton } from '@/app/_components/action-button';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { customerFor } from '@/app/_server/authorized-customer';
import { getAppContext } from '@/app/_server/app-context';
import { canManageTeam } from '@/lib/auth/roles';
import { getTeamForMember } from '@/lib/auth/teams';
import { getDb } from '@/db';
import { listPayments } from '@/lib/payments/billing';
import { formatDate, formatMoney, formatPrice } from '@/lib/payments/format';
import { advanceTestClock, openBillingPortal, setCancelAtPeriodEnd } from './actions';

export const metadata: Metadata = { title: 'Billing · Tally' };

/** Where a subscription stands, in the customer's time: renewing, collecting its renewal, retrying a failed payment, ending. */
function subscriptionState(s: { status: string; paidThrough: number | null; cancelAtPeriodEnd: boolean }, now: number): string | null {
  if (!s.paidThrough) return null;
  if (s.status === 'past_due') return 'The renewal payment failed: Stripe is retrying it. Update your card in Manage billing to keep the plan.';
  if (s.cancelAtPeriodEnd) return `Ends on ${formatDate(s.paidThrough)}`;
  if (s.paidThrough <= now) return 'Collecting the renewal payment… Last period’s allowance stays until it is paid.';
  return `${s.status === 'trialing' ? 'Trial ends' : 'Renews'} on ${formatDate(s.paidThrough)}`;
}

export default async function BillingPage() {
  const { user, selected } = await getCustomerContext();
  const deps = getAppContext();
  const { emulator, now } = deps;
  const products = await (await customerFor(user, selected, 'read')).listProducts();
  const canManage = selected.type === 'user' || canManageTeam(selected.role);
  // Amounts paid are for whoever manages billing.
  const payments = canManage ? await listPayments(deps, { type: selected.type, id: selected.id }) : [];
  // A member who cannot manage billing learns whom to ask.
  const managers =
    selected.type === 'team' && !canManage ? (await getTeamForMember(getDb(), selected.id, user.id)).members.filter((m) => canManageTeam(m.role)) : [];
  const customer = { type: selected.type, id: selected.id };
  const subscriptions = products.flatMap((p) =>
    p.price !== 'include-by-default' && p.price.interval ? p.owned.filter((o) => o.source === 'stripe').map((o) => ({ product: p, ...o })) : [],
  );
  const oneTime = products.flatMap((p) => (p.price !== 'include-by-default' && !p.price.interval ? p.owned.map((o) => ({ product: p, ...o })) : []));
  const plan = products.find((p) => p.isDefault && p.owned.length > 0);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Billing</h1>
          <p className="mt-1 text-muted-foreground">
            {selected.type === 'user' ? 'Your personal account' : `${selected.displayName} (team)`} · today is{' '}
            <span data-testid="customer-today">{formatDate(now(customer))}</span>
          </p>
        </div>
        {canManage ? (
          <ActionButton action={openBillingPortal} input={{ customer }} label="Manage billing" pendingLabel="Opening…" navigate className="btn-secondary" />
        ) : null}
      </div>
      {managers.length > 0 ? (
        <p role="note" className="rounded-md bg-muted px-3 py-2 text-sm text-foreground" data-testid="billing-contacts">
          Only owners and admins manage {selected.displayName}&apos;s billing. Ask {managers.map((m) => `${m.name} (${m.email})`).join(' or ')}.
        </p>
      ) : null}

      <section className="card" aria-labelledby="subs-heading">
        <h2 id="subs-heading" className="text-lg font-semibold">
          Subscriptions
        </h2>
        {subscriptions.length === 0 ? (
          <p className="mt-2 text-muted-foreground" data-testid="no-subscriptions">
            No paid subscription{plan ? `: you are on the ${plan.displayName} plan` : ''}.{' '}
            <Link href="/pricing" className="link">
              See plans
            </Link>
          </p>
        ) : (
          <ul className="mt-3 divide-y divide-border">
            {subscriptions.map((s) => (
              <li key={s.purchaseId} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid={`subscription-${s.product.id}`}>
                <div>
                  <p className="font-medium">
                    {s.product.displayName} {s.quantity > 1 ? `× ${s.quantity}` : ''}{' '}
                    <span className="text-sm text-muted-foreground">{formatPrice(s.product.price)}</span>
                  </p>
                  <p className="text-sm text-muted-foreground">
                    <span className="badge">{s.status}</span> {subscriptionState(s, now(customer))}
                  </p>
                </div>
                {canManage ? (
                  s.cancelAtPeriodEnd ? (
                    <ActionButton
                      action={setCancelAtPeriodEnd}
                      input={{ customer, purchaseId: s.purchaseId, cancel: false }}
                      label="Resume"
                      pendingLabel="Resuming…"
                      className="btn-secondary"
                    />
                  ) : (
                    <ActionButton
                      action={setCancelAtPeriodEnd}
                      input={{ customer, purchaseId: s.purchaseId, cancel: true }}
                      label="Cancel at period end"
                      pendingLabel="Canceling…"
                      className="btn-danger"
                    />
                  )
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="purchases-heading">
        <h2 id="purchases-heading" className="text-lg font-semibold">
          One-time purchases
        </h2>
        {oneTime.length === 0 ? (
          <p className="mt-2 text-muted-foreground">None yet.</p>
        ) : (
          <ul className="mt-3 divide-y divide-border">
            {oneTime.map((p) => (
              <li key={p.purchaseId} className="flex justify-between py-2">
                <span>
                  {p.product.displayName} × {p.quantity}
                </span>
                <span className="text-sm text-muted-foreground">{formatDate(p.startedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {canManage ? (
        <section className="card" aria-labelledby="payments-heading">
          <h2 id="payments-heading" className="text-lg font-semibold">
            Payments
          </h2>
          {payments.find((p) => p.method) ? (
            <p className="mt-1 text-sm text-muted-foreground" data-testid="payment-method">
              Payment method: {payments.find((p) => p.method)!.method} (of the latest payment){subscriptions.length > 0 ? ' · change it in Manage billing' : ''}
            </p>
          ) : null}
          {payments.length === 0 ? (
            <p className="mt-2 text-muted-foreground">No payments yet.</p>
          ) : (
            <ul className="mt-3 divide-y divide-border">
              {payments.map((payment) => (
                <li key={payment.id} className="flex flex-wrap items-center justify-between gap-3 py-2" data-testid="payment-row">
                  <span>
                    {formatDate(payment.at)} · <span className="tabular-nums">{formatMoney(payment.amount, payment.currency)}</span>
                  </span>
                  <span className="flex items-center gap-3 text-sm text-muted-foreground">
                    {payment.status}
                    {payment.receiptUrl ? (
                      <a href={payment.receiptUrl} className="link" target={emulator ? undefined : '_blank'} rel="noreferrer">
                        Receipt
                      </a>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {emulator ? (
        <section className="card border-dashed" aria-labelledby="clock-heading">
          <h2 id="clock-heading" className="text-lg font-semibold">
            Test clock (Stripe emulator)
          </h2>
          <p className="mt-1 text-sm text-muted-foreground">
            {canManage
              ? `Moves ${selected.type === 'user' ? 'your' : "this team's"} clock only, to the end of the current billing period: subscriptions renew (the emulator collects the invoice a few seconds later, as Stripe does about an hour later) or end, and monthly items refill. Other customers' clocks do not move. Emulator only: with Stripe keys, use Stripe's test clocks.`
              : 'Only team owners and admins can move this team’s clock.'}
          </p>
          {canManage ? (
            <div className="mt-3">
              <ActionButton
                action={advanceTestClock}
                input={{ customer }}
                label="Advance to next period"
                pendingLabel="Advancing…"
                className="btn-secondary"
                successMessage="Advanced."
              />
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
