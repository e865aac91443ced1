import type { Metadata } from 'next';
import Link from 'next/link';
import { METERED_ITEM } from '@/lib/api/metered';
import { callsPerDay } from '@/lib/api/usage';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { customerFor } from '@/app/_server/authorized-customer';
import { getDb } from '@/db';
import { describeSeats, getSeats } from '@/lib/auth/teams';
import { catalog, seatItemId } from '@/lib/payments/catalog';
import { listNotices, noticeHolds } from '@/lib/notices/notices';
import { formatDate } from '@/lib/payments/format';
import { customerOverview } from '@/lib/payments/overview';
import { getAppContext } from '@/app/_server/app-context';
import { cookies } from 'next/headers';
import { getEnv } from '@/lib/env';
import { ActionButton } from '@/app/_components/action-button';
import { dismissIntro } from './actions';
import { INTRO_DISMISSED_COOKIE } from './intro';
import { ItemCard } from './item-card';

export const metadata: Metadata = { title: 'Dashboard · Tally' };

/** How much the demo "use" button takes by default, per item. */
const demoAmount: Record<string, number> = { credits: 10, api_calls: 100 };

export default async function DashboardPage() {
  const { user, selected, teams } = await getCustomerContext();
  await customerFor(user, selected, 'read'); // authorizes, or throws
  // The seats' quantity is among the items; who takes them is the team's member count.
  const ref = { type: selected.type, id: selected.id };
  const now = getAppContext().now(ref);
  const [{ items, products, sources }, seatsUsed, notices] = await Promise.all([
    customerOverview(getDb(), ref, now),
    selected.type === 'team' ? getSeats(getDb(), selected.id, now) : null,
    listNotices(getDb(), ref, now),
  ]);
  const plans = products.filter((p) => p.owned.length > 0 && !p.stackable);
  const quantities = new Map(items.map((item) => [item.id, item.quantity]));
  const current = notices.filter((n) => noticeHolds(n, quantities, (itemId) => catalog.items[itemId]?.lowBalanceAt));
  // Only a customer whose plan is the free default is told what it refills.
  const freePlan = plans.length === 1 && plans[0]!.isDefault ? plans[0]! : null;
  const freeRefill = freePlan ? (freePlan.includedItems.credits?.quantity ?? null) : null;
  const callsThisMonth = selected.type === 'team' ? (await callsPerDay(getDb(), selected.id, now)).reduce((sum, day) => sum + day.calls, 0) : null;
  // What the live plans include of an item per period: the bar's 100%.
  const allowanceOf = (itemId: string) =>
    plans.reduce((sum, p) => sum + (p.includedItems[itemId]?.quantity ?? 0) * p.owned.reduce((n, o) => n + o.quantity, 0), 0);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Dashboard</h1>
          <p className="mt-1 text-muted-foreground" data-testid="selected-customer">
            {selected.type === 'user' ? 'Personal account' : `${selected.displayName} (team)`}
          </p>
        </div>
        <p className="text-sm text-muted-foreground" data-testid="active-plan">
          {plans.length
            ? `Plan: ${plans.map((p) => (p.owned.some((o) => o.status === 'trialing') ? `${p.displayName} (free trial)` : p.displayName)).join(' + ')}`
            : 'No plan yet'}
          {' · '}
          <Link href="/pricing" className="link">
            See plans
          </Link>
        </p>
      </div>
      {(await cookies()).get(INTRO_DISMISSED_COOKIE) ? null : (
        <section aria-labelledby="intro-heading" className="card space-y-2" data-testid="intro">
          <h2 id="intro-heading" className="text-lg font-semibold">
            How Tally works
          </h2>
          <ol className="list-inside list-decimal space-y-1 text-sm text-foreground">
            <li>
              Your items are below: what your plans and packs gave you.
              {freeRefill ? ` The Free plan refills ${freeRefill.toLocaleString('en-US')} credits every month.` : ''}
            </li>
            <li>Use some with the button on a card: it takes them only if enough are left, atomically.</li>
            <li>
              Buy more on{' '}
              <Link href="/pricing" className="link">
                Pricing
              </Link>{' '}
              (test card 4242 4242 4242 4242), then watch the Stripe webhook add them.
            </li>
            {getEnv().stripe.emulator ? (
              <li>
                On{' '}
                <Link href="/billing" className="link">
                  Billing
                </Link>
                , move your own test clock to the next period to see a subscription renew and refill.
              </li>
            ) : null}
            {selected.type === 'user' ? (
              <li>
                {teams.length > 0 ? (
                  'Switch “Acting as” to a team: seats, API keys and a metered API live there.'
                ) : (
                  <>
                    Seats, API keys and a metered API belong to teams:{' '}
                    <Link href="/teams" className="link">
                      create a team
                    </Link>
                    .
                  </>
                )}
              </li>
            ) : null}
          </ol>
          <ActionButton action={dismissIntro} input={{}} label="Got it" pendingLabel="Hiding…" className="btn-secondary" />
        </section>
      )}
      {current.length > 0 ? (
        <section aria-labelledby="notices-heading" className="card border-warning bg-warning-surface">
          <h2 id="notices-heading" className="text-sm font-medium text-warning">
            Notices
          </h2>
          <ul className="mt-2 space-y-1 text-sm text-warning">
            {current.map((n) => (
              <li key={n.id} data-testid={`notice-${n.kind}`}>
                <time dateTime={new Date(n.at).toISOString()} className="mr-1 font-medium">
                  {formatDate(n.at)}:
                </time>
                {n.text}{' '}
                <Link href={n.link} className="link">
                  {n.link === '/billing' ? 'Billing' : 'Get more'}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ul className="grid gap-4 sm:grid-cols-2" aria-label="Items">
        {items.map((item) => (
          <ItemCard
            key={item.id}
            customer={ref}
            initial={item}
            allowance={allowanceOf(item.id)}
            lowAt={catalog.items[item.id]?.lowBalanceAt}
            sources={item.id === seatItemId ? undefined : sources.get(item.id)}
            defaultAmount={demoAmount[item.id] ?? 1}
            seatsUsed={
              seatsUsed !== null && item.id === seatItemId
                ? { used: seatsUsed.used, text: describeSeats(seatsUsed), teamHref: `/teams/${selected.id}` }
                : undefined
            }
            apiUsage={callsThisMonth !== null && item.id === METERED_ITEM ? { callsThisMonth, apiHref: `/teams/${selected.id}/api` } : undefined}
          />
        ))}
      </ul>
    </div>
  );
}
