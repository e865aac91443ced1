import type { Metadata } from 'next';
import { getCustomerContext } from '@/app/_server/customer';

export const metadata: Metadata = { title: 'Dashboard · Tally' };

export default async function DashboardPage() {
  const { user, selected } = await getCustomerContext();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <p className="mt-1 text-slate-600">
          Signed in as <strong>{user.name}</strong> ({user.email}).
        </p>
      </div>
      <section className="card" aria-labelledby="customer-heading">
        <h2 id="customer-heading" className="text-sm font-medium text-slate-500">
          Customer
        </h2>
        <p className="mt-1 text-lg font-semibold" data-testid="selected-customer">
          {selected.type === 'user' ? 'Personal account' : `Team ${selected.displayName}`}
        </p>
        {selected.type === 'team' ? <p className="text-sm text-slate-600">Your role: {selected.role}</p> : null}
      </section>
    </div>
  );
}
