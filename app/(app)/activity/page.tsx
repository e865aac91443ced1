import type { Metadata } from 'next';
import Link from 'next/link';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { getDb } from '@/db';
import { authorizeCustomer } from '@/lib/customers/access';
import { listActivity, listBillingEvents } from '@/lib/payments/activity';
import { catalog } from '@/lib/payments/catalog';

export const metadata: Metadata = { title: 'Activity · Tally' };

const reasons = {
  purchase: 'Purchase',
  renewal: 'Refill',
  manual: 'Adjustment',
  consumption: 'Used',
  expiry: 'Expired',
  refund: 'Refund',
  returned: 'Returned',
} as const;
const when = (ms: number) => new Date(ms).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { user, selected } = await getCustomerContext();
  const before = Number((await searchParams).before);
  const customer = { type: selected.type, id: selected.id };
  await authorizeCustomer(getDb(), user.id, customer, 'read');
  const [{ entries, total, nextBefore }, billingEvents] = await Promise.all([
    listActivity(getDb(), customer, Number.isSafeInteger(before) && before > 0 ? before : undefined),
    listBillingEvents(getDb(), customer),
  ]);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Activity</h1>
        <p className="mt-1 text-slate-600">
          Every change to {selected.type === 'user' ? 'your' : `${selected.displayName}'s`} items, newest first ({total} in all).
        </p>
      </div>
      {billingEvents.length > 0 ? (
        <section className="card" aria-labelledby="billing-events-heading">
          <h2 id="billing-events-heading" className="text-sm font-medium text-slate-500">
            Billing events
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {billingEvents.map((event) => (
              <li key={event.id} data-testid="billing-event">
                <span className="text-slate-500">{when(event.at)}</span> · {event.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {entries.length === 0 ? (
        <p className="card text-slate-600">Nothing yet.</p>
      ) : (
        <div className="card overflow-x-auto p-0">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Time (UTC)
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Item
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Reason
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  By
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  Change
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  Balance
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="activity-row">
                  <td className="px-4 py-2 whitespace-nowrap text-slate-600">{when(entry.createdAt)}</td>
                  <td className="px-4 py-2">{catalog.items[entry.itemId]?.displayName ?? entry.itemId}</td>
                  <td className="px-4 py-2">
                    {reasons[entry.reason]}
                    {entry.product ? <span className="text-slate-600">: {entry.product}</span> : null}
                    {entry.description ? <span className="block text-xs text-slate-500">{entry.description}</span> : null}
                  </td>
                  <td className="px-4 py-2 text-slate-600">{entry.by}</td>
                  <td className={`px-4 py-2 text-right tabular-nums ${entry.delta < 0 ? 'text-red-700' : 'text-emerald-700'}`}>
                    {entry.delta > 0 ? '+' : ''}
                    {entry.delta.toLocaleString('en-US')}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{entry.balanceAfter.toLocaleString('en-US')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details className="text-sm text-slate-600">
        <summary className="cursor-pointer">What the reasons mean</summary>
        <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[8rem_1fr]">
          <dt className="font-medium">Purchase</dt>
          <dd>What a product gave when it was bought or granted.</dd>
          <dt className="font-medium">Refill</dt>
          <dd>A plan&apos;s allowance for a new period; what was left of the last one expires then.</dd>
          <dt className="font-medium">Used</dt>
          <dd>Spent: by someone in the app, an API key, or the server API.</dd>
          <dt className="font-medium">Expired</dt>
          <dd>What was left of a grant when it ran out.</dd>
          <dt className="font-medium">Refund</dt>
          <dd>Taken back when a payment was refunded or disputed; spent credits become debt, which the next grant pays first.</dd>
          <dt className="font-medium">Returned</dt>
          <dd>Given back when a metered call failed after it was counted.</dd>
          <dt className="font-medium">Adjustment</dt>
          <dd>Added by hand or by the server API.</dd>
        </dl>
      </details>
      <nav aria-label="Pages" className="flex gap-3">
        {before ? (
          <Link href="/activity" className="btn-secondary">
            Newest
          </Link>
        ) : null}
        {nextBefore ? (
          <Link href={`/activity?before=${nextBefore}`} className="btn-secondary">
            Older
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
