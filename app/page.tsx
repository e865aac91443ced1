import Link from 'next/link';
import { demoPowers } from '@/app/_server/demo';
import { getSessionUser } from '@/app/_server/session';
import { DEMO_PASSWORD, demoUsers } from '@/lib/auth/demo-accounts';
import { getEnv } from '@/lib/env';
import { catalog } from '@/lib/payments/catalog';
import { formatPrice } from '@/lib/payments/format';

/** What a visitor meets: what items are, the live plans from the catalog, and a way in. */
export default async function HomePage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const { deleted } = await searchParams;
  const user = await getSessionUser();
  const env = getEnv();
  const plans = Object.entries(catalog.products).filter(([, product]) => !product.serverOnly);

  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-5xl space-y-12 px-6 py-16 outline-none">
      {deleted && !user ? (
        <p role="status" className="rounded-md bg-success-surface px-4 py-3 text-sm text-success">
          Your account was deleted. Thank you for trying Tally.
        </p>
      ) : null}
      <section className="max-w-3xl">
        <p className="text-sm font-semibold tracking-wide text-link uppercase">Tally</p>
        <h1 className="mt-2 text-4xl font-bold tracking-tight sm:text-5xl">Credits, seats and quotas your customers buy.</h1>
        <p className="mt-4 text-lg text-muted-foreground">
          <strong>Items</strong> are what a plan or a pack gives a user or a team: credits to spend, seats that cap a team, API calls a month. Customers buy
          them with Stripe, subscriptions refill them every period, and the app spends them atomically: never more than there is, never twice.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          {user ? (
            <Link href="/dashboard" className="btn-primary">
              Go to dashboard
            </Link>
          ) : (
            <>
              <Link href="/sign-up" className="btn-primary">
                Create an account
              </Link>
              <Link href="/sign-in" className="btn-secondary">
                Sign in
              </Link>
            </>
          )}
        </div>
        {!user && env.demo && (await demoPowers()) ? (
          <p className="mt-4 text-sm text-muted-foreground" data-testid="demo-logins">
            Try the demo: {demoUsers.map((demo) => `${demo.email} (${demo.about})`).join(' or ')}, password <code>{DEMO_PASSWORD}</code>.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="plans-heading">
        <h2 id="plans-heading" className="text-xl font-semibold">
          Plans and packs
        </h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {plans.map(([id, product]) => (
            <li key={id} className="card" data-testid={`plan-${id}`}>
              <p className="text-sm text-muted-foreground">{product.customerType === 'user' ? 'For you' : 'For teams'}</p>
              <h3 className="text-lg font-semibold">{product.displayName}</h3>
              <p className="mt-1 font-semibold">{formatPrice(product.price)}</p>
              <p className="mt-2 text-sm text-muted-foreground">{product.description}</p>
              {product.price !== 'include-by-default' ? (
                <Link
                  href={user ? `/checkout/start?product=${id}` : `/sign-up?next=${encodeURIComponent(`/checkout/start?product=${id}`)}`}
                  className="btn-secondary mt-4 inline-block"
                  data-testid={`choose-${id}`}
                >
                  Get {product.displayName}
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
