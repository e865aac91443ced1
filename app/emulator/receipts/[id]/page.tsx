import { demoPowers } from '@/app/_server/demo';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getEnv } from '@/lib/env';
import { formatDate, formatMoney } from '@/lib/payments/format';
import { getEmulatorDb } from '@/lib/stripe/emulator/db';
import type { EmulatedCharge } from '@/lib/stripe/emulator/objects';
import { getObject } from '@/lib/stripe/emulator/store';

export const metadata: Metadata = { title: 'Receipt · Stripe emulator' };
export const dynamic = 'force-dynamic';

/** The emulator's receipt of a payment, as Stripe's receipt_url shows one: its id is the secret of the link. */
export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  if (!getEnv().stripe.emulator || !(await demoPowers())) notFound();
  const { id } = await params;
  const charge = getObject<EmulatedCharge>(getEmulatorDb(), id, 'charge');
  if (!charge) notFound();

  return (
    <main className="mx-auto max-w-md px-4 py-12">
      <div className="card space-y-4">
        <p className="text-sm font-medium text-muted-foreground">Tally · test mode</p>
        <h1 className="text-xl font-semibold">Receipt</h1>
        <p className="text-3xl font-semibold tabular-nums" data-testid="receipt-amount">
          {formatMoney(charge.amount, charge.currency)}
        </p>
        <dl className="grid grid-cols-2 gap-y-2 text-sm">
          <dt className="text-muted-foreground">Paid on</dt>
          <dd>{formatDate(charge.created * 1000)}</dd>
          <dt className="text-muted-foreground">Receipt number</dt>
          <dd className="break-all">{charge.id}</dd>
          {charge.amount_refunded > 0 ? (
            <>
              <dt className="text-muted-foreground">Refunded</dt>
              <dd>{formatMoney(charge.amount_refunded, charge.currency)}</dd>
            </>
          ) : null}
        </dl>
        <p className="text-xs text-muted-foreground">Paid with a test card or account in the Stripe emulator; nothing was charged.</p>
      </div>
    </main>
  );
}
