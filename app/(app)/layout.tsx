import Link from 'next/link';
import { CustomerSwitcher } from '@/app/_components/customer-switcher';
import { NavLinks, type NavItem } from '@/app/_components/nav-links';
import { PhoneMenu } from '@/app/_components/phone-menu';
import { RouteFocus } from '@/app/_components/route-focus';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { TallyProvider } from '@/app/_sdk/tally-provider';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { getSessionUser } from '@/app/_server/session';
import { customerKey } from '@/lib/customers/selection';

const nav: NavItem[] = [
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/pricing', label: 'Pricing' },
  { href: '/billing', label: 'Billing' },
  { href: '/activity', label: 'Activity' },
  { href: '/teams', label: 'Teams' },
];

/** The header row (the app's name, linking `home`, then `children`) above the page. */
function Shell({ home, header, children }: { home: string; header: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-border bg-card">
        <div className="mx-auto flex max-w-5xl items-center gap-4 px-4 py-2">
          <Link href={home} className="flex min-h-11 items-center text-lg font-semibold tracking-tight sm:min-h-9">
            Tally
          </Link>
          {header}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-8 outline-none">
        {children}
      </main>
    </div>
  );
}

/** Pricing is public: a visitor sees it under a header that leads to sign-in (every other page redirects there). */
const visitorHeader = (
  <div className="ml-auto flex items-center gap-2">
    <Link href="/sign-in?next=/pricing" className="btn-secondary">
      Sign in
    </Link>
    <Link href="/sign-up?next=/pricing" className="btn-primary">
      Create account
    </Link>
  </div>
);

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  if (!(await getSessionUser())) {
    return (
      <Shell home="/" header={visitorHeader}>
        {children}
      </Shell>
    );
  }
  const { user, selected, teams } = await getCustomerContext();
  const options = [{ key: 'user', label: 'Personal' }, ...teams.map((team) => ({ key: customerKey({ type: 'team', id: team.id }), label: team.name }))];
  const switcher = <CustomerSwitcher options={options} selectedKey={customerKey(selected)} />;
  return (
    <TallyProvider user={user}>
      <RouteFocus />
      <Shell
        home="/dashboard"
        header={
          <>
            <div className="hidden md:block">
              <NavLinks items={nav} />
            </div>
            <div className="ml-auto hidden items-center gap-3 md:flex">
              {switcher}
              <Link
                href="/account"
                className="max-w-48 truncate text-sm text-muted-foreground hover:text-link"
                data-testid="signed-in-user"
                title="Account settings"
              >
                {user.email}
              </Link>
              <SignOutButton />
            </div>
            <div className="ml-auto md:hidden">
              <PhoneMenu>
                <NavLinks items={nav} vertical />
                <div className="border-t border-border pt-4">{switcher}</div>
                <div className="flex flex-col gap-2 border-t border-border pt-4">
                  <Link href="/account" className="flex min-h-11 items-center truncate rounded-md px-3 text-foreground hover:bg-muted">
                    Account: {user.email}
                  </Link>
                  <SignOutButton />
                </div>
              </PhoneMenu>
            </div>
          </>
        }
      >
        {children}
      </Shell>
    </TallyProvider>
  );
}
