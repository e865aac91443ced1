import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm, Field } from '@/app/_components/action-form';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { createTeam } from './actions';

export const metadata: Metadata = { title: 'Teams · Tally' };

export default async function TeamsPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const { teams } = await getCustomerContext();
  const deleted = (await searchParams).deleted === '1';
  return (
    <div className="grid gap-6 md:grid-cols-[2fr_1fr]">
      {deleted ? (
        <p role="status" className="notice bg-success-surface text-success md:col-span-2">
          The team was deleted and its subscriptions ended.
        </p>
      ) : null}
      <section aria-labelledby="teams-heading" className="card">
        <h1 id="teams-heading" className="text-xl font-semibold">
          Your teams
        </h1>
        {teams.length === 0 ? (
          <p className="mt-4 text-muted-foreground">You are not in any team yet. Create one to share seats and API quota.</p>
        ) : (
          <ul className="mt-4 divide-y divide-border">
            {teams.map((team) => (
              <li key={team.id} className="flex items-center justify-between py-3">
                <Link href={`/teams/${team.id}`} className="link">
                  {team.name}
                </Link>
                <span className="badge">{team.role}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="create-team-heading" className="card">
        <h2 id="create-team-heading" className="mb-4 text-lg font-semibold">
          Create a team
        </h2>
        <ActionForm action={createTeam} submitLabel="Create team" pendingLabel="Creating…" successMessage="Team created." resetOnSuccess>
          <Field name="name" label="Team name" required />
        </ActionForm>
      </section>
    </div>
  );
}
