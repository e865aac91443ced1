import type { Metadata } from 'next';
import Link from 'next/link';
import { Download } from 'lucide-react';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { getDb } from '@/db';
import { authorizeCustomer } from '@/lib/customers/access';
import { collapseUsage, listActivity, listBillingEvents, type ActivityEntry } from '@/lib/payments/activity';
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
const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toLocaleString('en-US')}`;
const itemName = (itemId: string) => catalog.items[itemId]?.displayName ?? itemId;

// Explicit roles keep the table a table for screen readers when, on a phone, its rows are laid out
// as stacked blocks (a display other than table drops the implicit roles in some browsers).
const cell = 'sm:table-cell sm:px-4 sm:py-2 sm:align-top';

/** One line of the ledger; a run of identical usage is one line that expands into its entries. */
function ActivityRow({ run }: { run: ActivityEntry[] }) {
  const newest = run[0]!;
  const total = run.reduce((sum, entry) => sum + entry.delta, 0);
  return (
    <tr
      role="row"
      data-testid="activity-row"
      className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-0.5 px-4 py-3 [grid-template-areas:'item_change'_'reason_balance'_'time_by'] sm:table-row sm:p-0"
    >
      <td role="cell" className={`text-xs text-muted-foreground [grid-area:time] sm:text-sm sm:whitespace-nowrap ${cell}`}>
        {when(newest.createdAt)}
      </td>
      <td role="cell" className={`font-medium [grid-area:item] sm:font-normal ${cell}`}>
        {itemName(newest.itemId)}
      </td>
      <td role="cell" className={`[grid-area:reason] ${cell}`}>
        {run.length > 1 ? (
          <details data-testid="usage-run">
            <summary className="cursor-pointer">
              {reasons[newest.reason]} {signed(newest.delta)} × {run.length}
            </summary>
            <ul className="mt-1 space-y-0.5 text-xs text-muted-foreground">
              {run.map((entry) => (
                <li key={entry.id}>
                  {when(entry.createdAt)}: {signed(entry.delta)}, balance {entry.balanceAfter.toLocaleString('en-US')}
                </li>
              ))}
            </ul>
          </details>
        ) : (
          reasons[newest.reason]
        )}
        {newest.product ? <span className="text-muted-foreground">: {newest.product}</span> : null}
        {newest.description ? <span className="block text-xs text-muted-foreground">{newest.description}</span> : null}
      </td>
      <td role="cell" className={`text-right text-xs text-muted-foreground [grid-area:by] sm:text-left sm:text-sm ${cell}`}>
        {newest.by}
      </td>
      <td role="cell" className={`text-right font-medium tabular-nums [grid-area:change] ${total < 0 ? 'text-destructive' : 'text-success'} ${cell}`}>
        {signed(total)}
      </td>
      <td role="cell" className={`text-right text-sm tabular-nums [grid-area:balance] ${cell}`}>
        <span className="text-muted-foreground sm:hidden">Balance </span>
        {newest.balanceAfter.toLocaleString('en-US')}
      </td>
    </tr>
  );
}

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ before?: string; item?: string }> }) {
  const { user, selected } = await getCustomerContext();
  const query = await searchParams;
  const before = Number(query.before);
  const customer = { type: selected.type, id: selected.id };
  const items = Object.entries(catalog.items).filter(([, item]) => item.customerType === selected.type);
  const itemId = items.some(([id]) => id === query.item) ? query.item : undefined;
  await authorizeCustomer(getDb(), user.id, customer, 'read');
  const [{ entries, total, nextBefore }, billingEvents] = await Promise.all([
    listActivity(getDb(), customer, { before: Number.isSafeInteger(before) && before > 0 ? before : undefined, itemId }),
    listBillingEvents(getDb(), customer),
  ]);
  const withItem = (params: Record<string, string | number>) => {
    const search = new URLSearchParams({ ...(itemId ? { item: itemId } : {}), ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
    return `/activity${search.size ? `?${search}` : ''}`;
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Activity</h1>
          <p className="mt-1 text-muted-foreground">
            Every change to {selected.type === 'user' ? 'your' : `${selected.displayName}'s`} {itemId ? itemName(itemId) : 'items'}, newest first ({total} in
            all).
          </p>
        </div>
        <a href={`/activity/export${itemId ? `?item=${itemId}` : ''}`} download className="btn-secondary" data-testid="export-csv">
          <Download aria-hidden className="size-4" />
          Export CSV
        </a>
      </div>
      <nav aria-label="Filter by item" className="flex flex-wrap gap-2">
        {[['', 'All items'] as const, ...items.map(([id, item]) => [id, item.displayName] as const)].map(([id, label]) => {
          const current = (itemId ?? '') === id;
          return (
            <Link
              key={id}
              href={id ? `/activity?item=${id}` : '/activity'}
              aria-current={current ? 'page' : undefined}
              className={`btn px-3 ${current ? 'bg-primary text-primary-foreground' : 'border border-input bg-card text-foreground hover:bg-muted'}`}
            >
              {label}
            </Link>
          );
        })}
      </nav>
      {billingEvents.length > 0 ? (
        <section className="card" aria-labelledby="billing-events-heading">
          <h2 id="billing-events-heading" className="text-sm font-medium text-muted-foreground">
            Billing events
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {billingEvents.map((event) => (
              <li key={event.id} data-testid="billing-event">
                <span className="text-muted-foreground">{when(event.at)}</span> · {event.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {entries.length === 0 ? (
        <p className="card text-muted-foreground">Nothing yet.</p>
      ) : (
        <div className="card p-0">
          <table role="table" aria-label="Item changes" className="block w-full text-left text-sm sm:table">
            <thead role="rowgroup" className="sr-only border-b border-border text-muted-foreground sm:not-sr-only sm:table-header-group">
              <tr role="row">
                {['Time (UTC)', 'Item', 'Reason', 'By'].map((heading) => (
                  <th key={heading} role="columnheader" scope="col" className="px-4 py-2 font-medium">
                    {heading}
                  </th>
                ))}
                {['Change', 'Balance'].map((heading) => (
                  <th key={heading} role="columnheader" scope="col" className="px-4 py-2 text-right font-medium">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody role="rowgroup" className="block divide-y divide-border sm:table-row-group">
              {collapseUsage(entries).map(({ entries: run }) => (
                <ActivityRow key={run[0]!.id} run={run} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details className="text-sm text-muted-foreground">
        <summary className="cursor-pointer">What the reasons mean</summary>
        <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[8rem_1fr]">
          <dt className="font-medium">Purchase</dt>
          <dd>What a product gave when it was bought or granted.</dd>
          <dt className="font-medium">Refill</dt>
          <dd>A plan&apos;s allowance for a new period; what was left of the last one expires then.</dd>
          <dt className="font-medium">Used</dt>
          <dd>
            Spent: by someone in the app, an API key, or the server API. Identical uses in a row show as one line (“Used −10 × 20”); open it for each. What
            would be lost first is spent first: a plan&apos;s allowance that resets at the next refill, then grants with an expiry date (soonest first), and
            what never expires last.
          </dd>
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
          <Link href={withItem({})} className="btn-secondary">
            Newest
          </Link>
        ) : null}
        {nextBefore ? (
          <Link href={withItem({ before: nextBefore })} className="btn-secondary">
            Older
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
