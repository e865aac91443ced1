import Link from 'next/link';
import { CustomerSwitcher } from '@/app/_components/customer-switcher';
import { NavLinks } from '@/app/_components/nav-links';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { TallyProvider } from '@/app/_sdk/tally-provider';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { customerKey } from '@/lib/customers/selection';

const nav = [
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/pricing', label: 'Pricing' },
  { href: '/billing', label: 'Billing' },
  { href: '/activity', label: 'Activity' },
  { href: '/teams', label: 'Teams' },
];

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { user, selected, teams } = await getCustomerContext();
  const options = [{ key: 'user', label: 'Personal' }, ...teams.map((team) => ({ key: customerKey({ type: 'team', id: team.id }), label: team.name }))];
  return (
    <TallyProvider user={user}>
      <div className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3">
            <Link href="/dashboard" className="text-lg font-semibold tracking-tight">
              Tally
            </Link>
            <NavLinks items={nav} />
            <div className="ml-auto flex flex-wrap items-center gap-3">
              <CustomerSwitcher options={options} selectedKey={customerKey(selected)} />
              <Link href="/account" className="text-sm text-slate-600 hover:text-indigo-600" data-testid="signed-in-user" title="Account settings">
                {user.email}
              </Link>
              <SignOutButton />
            </div>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-8 outline-none">
          {children}
        </main>
      </div>
    </TallyProvider>
  );
}
