import { demoPowers } from '@/app/_server/demo';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionForm, Field } from '@/app/_components/action-form';
import { getEmulatorDb } from '@/lib/stripe/emulator/db';
import { getEnv } from '@/lib/env';
import { formatMoney } from '@/lib/payments/format';
import { getSession } from '@/lib/stripe/emulator/objects';
import { cancelCheckout, payCheckout } from '../../actions';
import { CancelButton } from './cancel-button';

export const metadata: Metadata = { title: 'Checkout · Stripe emulator' };
export const dynamic = 'force-dynamic';

export default async function EmulatorCheckoutPage({ params }: { params: Promise<{ sessionId: string }> }) {
  if (!getEnv().stripe.emulator || !(await demoPowers())) notFound();
  const { sessionId } = await params;
  const session = getSession(getEmulatorDb(), sessionId);
  if (!session) notFound();
  const line = session.line_items.data[0]!;
  const recurring = line.price.recurring;
  const open = session.status === 'open';

  return (
    <main className="min-h-screen bg-card md:grid md:grid-cols-2">
      <section className="bg-muted px-6 py-10 md:px-16 md:py-20">
        <p className="text-sm font-medium text-muted-foreground">Tally · test mode</p>
        <h1 className="mt-6 text-lg text-muted-foreground">{line.description}</h1>
        <p className="mt-1 text-4xl font-semibold tabular-nums" data-testid="checkout-total">
          {formatMoney(line.amount_total ?? 0, session.currency ?? 'usd')}
          {recurring ? (
            <span className="ml-2 text-base font-normal text-muted-foreground">
              per {recurring.interval_count > 1 ? `${recurring.interval_count} ${recurring.interval}s` : recurring.interval}
            </span>
          ) : null}
        </p>
        {(line.quantity ?? 1) > 1 ? <p className="mt-2 text-sm text-muted-foreground">Quantity {line.quantity}</p> : null}
        {session._trial_days ? (
          <p className="mt-2 text-sm text-success" data-testid="checkout-trial">
            {session._trial_days} days free · due today {formatMoney(0, session.currency ?? 'usd')}
          </p>
        ) : null}
        <p className="mt-10 max-w-sm text-xs text-muted-foreground">
          This is Tally&apos;s local Stripe emulator. Pay with <strong>4242 4242 4242 4242</strong>; <strong>4000 0000 0000 0002</strong> is declined;{' '}
          <strong>4000 0000 0000 0341</strong> pays now and fails at renewal. Any future expiry date and any CVC.
          {session.mode === 'payment' ? (
            <>
              {' '}
              Bank debit: account <strong>000123456789</strong> settles after a few seconds, <strong>000111111116</strong> fails.
            </>
          ) : null}
        </p>
      </section>
      <section className="px-6 py-10 md:px-16 md:py-20">
        {open ? (
          <div className="max-w-sm space-y-6">
            <h2 className="text-lg font-semibold">Pay with card</h2>
            <ActionForm
              action={payCheckout}
              submitLabel={session.mode === 'subscription' ? 'Subscribe' : 'Pay'}
              pendingLabel="Processing…"
              submitClassName="btn-primary w-full"
            >
              <input type="hidden" name="sessionId" value={session.id} />
              <input type="hidden" name="method" value="card" />
              <Field name="email" label="Email" type="email" autoComplete="email" defaultValue={session.customer_email ?? ''} required />
              <Field name="cardNumber" label="Card number" autoComplete="cc-number" placeholder="1234 1234 1234 1234" required />
              <div className="grid grid-cols-2 gap-3">
                <Field name="expiry" label="Expiry" autoComplete="cc-exp" placeholder="MM / YY" defaultValue="12 / 34" />
                <Field name="cvc" label="CVC" autoComplete="cc-csc" placeholder="CVC" defaultValue="123" />
              </div>
            </ActionForm>
            {session.mode === 'payment' ? (
              <details className="rounded-lg border border-border p-4">
                <summary className="cursor-pointer font-medium">Pay by bank debit (US)</summary>
                <p className="mt-2 text-sm text-muted-foreground">The debit takes a few seconds to settle; your purchase is added once it does.</p>
                <ActionForm
                  action={payCheckout}
                  submitLabel="Pay by bank debit"
                  pendingLabel="Processing…"
                  submitClassName="btn-secondary w-full"
                  className="mt-4 space-y-4"
                >
                  <input type="hidden" name="sessionId" value={session.id} />
                  <input type="hidden" name="method" value="us_bank_account" />
                  <Field name="email" label="Email" type="email" autoComplete="email" defaultValue={session.customer_email ?? ''} required />
                  <Field name="accountNumber" label="Account number" placeholder="000123456789" required />
                </ActionForm>
              </details>
            ) : null}
            <CancelButton action={cancelCheckout} sessionId={session.id} />
          </div>
        ) : (
          <p role="status" className="text-foreground">
            This checkout session is {session.status}.
          </p>
        )}
      </section>
    </main>
  );
}
