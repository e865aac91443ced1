import type { Metadata } from 'next';
import Link from 'next/link';
import { getCustomerContext } from '@/app/_server/customer';
import { customerFor } from '@/app/_server/customers';
import { SpendForm } from './spend-form';

export const metadata: Metadata = { title: 'Dashboard · Tally' };

/** How much the demo "use" button takes by default, per item. */
const demoAmount: Record<string, number> = { credits: 10, seats: 1, api_calls: 100 };

export default async function DashboardPage() {
  const { user, selected } = await getCustomerContext();
  const customer = await customerFor(user, selected, 'read');
  const [items, products] = await Promise.all([customer.listItems(), customer.listProducts()]);
  const plans = products.filter((p) => p.owned.length > 0 && !p.stackable);
  const ref = { type: selected.type, id: selected.id };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Dashboard</h1>
          <p className="mt-1 text-slate-600" data-testid="selected-customer">
            {selected.type === 'user' ? 'Personal account' : `Team ${selected.displayName}`}
          </p>
        </div>
        <p className="text-sm text-slate-600" data-testid="active-plan">
          {plans.length ? `Plan: ${plans.map((p) => p.displayName).join(' + ')}` : 'No plan yet'}
          {' · '}
          <Link href="/pricing" className="link">
            See plans
          </Link>
        </p>
      </div>
      <ul className="grid gap-4 sm:grid-cols-2" aria-label="Items">
        {items.map((item) => (
          <li key={item.id} className="card" data-testid={`item-${item.id}`}>
            <h2 className="text-sm font-medium text-slate-500">{item.displayName}</h2>
            <p className="mt-1 text-3xl font-semibold tabular-nums" data-testid={`quantity-${item.id}`}>
              {item.quantity.toLocaleString('en-US')}
            </p>
            {item.quantity < 0 ? <p className="text-sm text-amber-700">Overdrawn: the next grant pays this off first.</p> : null}
            <SpendForm customer={ref} itemId={item.id} displayName={item.displayName} defaultAmount={demoAmount[item.id] ?? 1} />
          </li>
        ))}
      </ul>
    </div>
  );
}
