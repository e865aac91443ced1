import type { Metadata } from 'next';
import Link from 'next/link';
import { getAppContext } from '@/app/_server/app-context';
import { teamOr404 } from '@/app/_server/team-or-404';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { getDb } from '@/db';
import { listApiKeys } from '@/lib/api/keys';
import { METERED_ITEM } from '@/lib/api/metered';
import { callsPerDay } from '@/lib/api/usage';
import { canManageTeam } from '@/lib/auth/roles';
import { getTeamRole } from '@/lib/auth/teams';
import { getQuantity } from '@/lib/payments/items';
import { ApiKeyList, NewApiKeyForm } from './api-keys';

export const metadata: Metadata = { title: 'API · Tally' };

export default async function TeamApiPage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const { user } = await getCustomerContext();
  const role = await teamOr404(getTeamRole(getDb(), teamId, user.id));
  const manager = canManageTeam(role);
  const { db, now, appUrl } = getAppContext();
  const team = { type: 'team', id: teamId } as const;
  const teamNow = now(team);
  const [keys, days, remaining] = await Promise.all([
    listApiKeys(db, user.id, teamId),
    callsPerDay(db, teamId, teamNow),
    getQuantity(db, { customer: team, itemId: METERED_ITEM }, teamNow),
  ]);
  const endpoint = `${appUrl}/api/v1/summarize`;
  const most = Math.max(1, ...days.map((d) => d.calls));
  const total = days.reduce((sum, d) => sum + d.calls, 0);

  return (
    <div className="space-y-6">
      <div>
        <Link href={`/teams/${teamId}`} className="text-sm text-muted-foreground hover:text-link">
          ← Team
        </Link>
        <h1 className="text-2xl font-semibold">API</h1>
        <p className="mt-1 text-muted-foreground">
          Each answered call of the metered API spends one of the team&apos;s API calls.{' '}
          <span data-testid="api-calls-left">
            {Math.max(0, remaining).toLocaleString('en-US')} API call{remaining === 1 ? '' : 's'} left
          </span>
          {remaining <= 0 && manager ? (
            <>
              {' · '}
              <Link href="/pricing" className="link">
                Get more with the Team plan
              </Link>
            </>
          ) : null}
        </p>
      </div>

      <section aria-labelledby="keys-heading" className="card space-y-4">
        <h2 id="keys-heading" className="text-lg font-semibold">
          Keys
        </h2>
        <ApiKeyList teamId={teamId} keys={keys} manager={manager} />
        {manager ? <NewApiKeyForm teamId={teamId} /> : <p className="text-sm text-muted-foreground">Owners and admins create and revoke keys.</p>}
      </section>

      <section aria-labelledby="try-heading" className="card space-y-3">
        <h2 id="try-heading" className="text-lg font-semibold">
          Try it
        </h2>
        {/* Focusable so a keyboard can scroll it sideways on a narrow screen. */}
        <pre
          tabIndex={0}
          aria-label="Example request"
          className="overflow-x-auto rounded-md bg-slate-900 p-4 text-sm text-slate-100 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
          data-testid="curl-example"
        >
          {`curl ${endpoint} \\
  -H "Authorization: Bearer $TALLY_API_KEY" \\
  -H "Idempotency-Key: $(uuidgen)" \\
  -H "Content-Type: application/json" \\
  -d '{"text": "Tally sells items. Subscriptions refill them. The app spends them."}'`}
        </pre>
        <p className="text-sm text-muted-foreground">
          200 with the summary and <code>X-Quota-Remaining</code>; 402 <code>quota_exceeded</code> when the team has none left; 401 for a missing or revoked
          key. A retry with the same <code>Idempotency-Key</code> and body within 24 hours replays the first answer and spends nothing.
        </p>
      </section>

      <section aria-labelledby="usage-heading" className="card space-y-3">
        <h2 id="usage-heading" className="text-lg font-semibold">
          Calls this month <span className="font-normal text-muted-foreground">({total.toLocaleString('en-US')})</span>
        </h2>
        {total === 0 ? (
          <p className="text-sm text-muted-foreground">No calls yet this month.</p>
        ) : (
          <ol className="flex h-32 items-end gap-1" aria-label="API calls per day, this month">
            {days.map((d) => (
              <li key={d.day} className="flex h-full flex-1 flex-col justify-end" title={`${d.day}: ${d.calls} calls`}>
                <span className="sr-only">
                  {d.day}: {d.calls} calls
                </span>
                <span aria-hidden className="block rounded-t bg-chart" style={{ height: `${(d.calls / most) * 100}%`, minHeight: d.calls ? 2 : 0 }} />
              </li>
            ))}
          </ol>
        )}
        <p className="text-xs text-muted-foreground">Per UTC day, {days[0]?.day} to today.</p>
      </section>
    </div>
  );
}
