import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm, Field, SelectField } from '@/app/_components/action-form';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { getDb } from '@/db';
import { canManageTeam, teamRoles } from '@/lib/auth/roles';
import { describeSeats, getSeats, getTeamForMember } from '@/lib/auth/teams';
import { getAppContext } from '@/app/_server/app-context';
import { teamOr404 } from '@/app/_server/team-or-404';
import { listPendingInvitations } from '@/lib/auth/invitations';
import { deleteTeam, inviteMember } from '../actions';
import { previewTeamDeletion } from '@/lib/auth/deletion';
import { InvitationControls, LeaveTeamButton, MemberControls } from './member-controls';

export const metadata: Metadata = { title: 'Team · Tally' };

export default async function TeamPage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const { user } = await getCustomerContext();
  const team = await teamOr404(getTeamForMember(getDb(), teamId, user.id));
  const manager = canManageTeam(team.role);
  const teamNow = getAppContext().now({ type: 'team', id: team.id });
  const [{ seats, members, used }, invitations] = await Promise.all([
    getSeats(getDb(), team.id, teamNow),
    manager ? listPendingInvitations(getDb(), user.id, team.id, teamNow) : [],
  ]);
  const full = used >= seats;
  const deletion = team.role === 'owner' ? await previewTeamDeletion(getDb(), user.id, team.id) : null;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <Link href="/teams" className="text-sm text-muted-foreground hover:text-link">
            ← Teams
          </Link>
          <h1 className="text-2xl font-semibold">{team.name}</h1>
          <p className="text-sm text-muted-foreground">
            Your role: {team.role} ·{' '}
            <Link href={`/teams/${team.id}/api`} className="link">
              API keys and usage
            </Link>
          </p>
        </div>
        <LeaveTeamButton teamId={team.id} />
      </div>

      <section aria-labelledby="members-heading" className="card">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="members-heading" className="text-lg font-semibold">
            Members
          </h2>
          <p className="text-sm text-muted-foreground" data-testid="seats-summary">
            {describeSeats({ seats, members, used })}
            {manager ? (
              <>
                {' · '}
                <Link href="/pricing" className="link">
                  Buy seats
                </Link>
              </>
            ) : null}
          </p>
        </div>
        {used > seats ? (
          <p role="note" className="mt-3 rounded-md bg-warning-surface px-3 py-2 text-sm text-warning" data-testid="seats-over">
            This team has {members} members{used > members ? ` and ${used - members} pending invitations` : ''} and {seats} seats. Nobody is removed, but nobody
            new can be invited until seats are bought.
          </p>
        ) : null}
        <ul className="mt-4 divide-y divide-border">
          {team.members.map((m) => (
            <li key={m.userId} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="member-row">
              <div>
                <p className="font-medium">{m.name}</p>
                <p className="text-sm text-muted-foreground">{m.email}</p>
              </div>
              {manager && m.userId !== user.id ? <MemberControls teamId={team.id} member={m} /> : <span className="badge">{m.role}</span>}
            </li>
          ))}
        </ul>
      </section>

      {manager ? (
        <section aria-labelledby="invite-heading" className="card space-y-4">
          <h2 id="invite-heading" className="text-lg font-semibold">
            Invite someone
          </h2>
          {full ? (
            <p className="text-sm text-muted-foreground">
              Every member takes a seat, owners too, and so does a pending invitation: buy a seat before inviting someone.
            </p>
          ) : null}
          <ActionForm
            action={inviteMember}
            submitLabel="Send invitation"
            pendingLabel="Sending…"
            successMessage="Invitation sent."
            resetOnSuccess
            className="grid gap-4 sm:grid-cols-[1fr_12rem] sm:items-end"
          >
            <input type="hidden" name="teamId" value={team.id} />
            <Field name="email" label="Email" type="email" required />
            <SelectField name="role" label="Role" options={teamRoles} defaultValue="member" />
          </ActionForm>
          {invitations.length > 0 ? (
            <div>
              <h3 className="text-sm font-medium text-muted-foreground">Pending invitations</h3>
              <ul className="mt-2 divide-y divide-border">
                {invitations.map((invitation) => (
                  <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="invitation-row">
                    <div>
                      <p className="font-medium">{invitation.email}</p>
                      <p className="text-sm text-muted-foreground">
                        {invitation.role} · expires {new Date(invitation.expiresAt).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' })}
                      </p>
                    </div>
                    <InvitationControls teamId={team.id} invitation={invitation} />
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      ) : null}

      {deletion ? (
        <section aria-labelledby="delete-team-heading" className="card space-y-4 border-destructive">
          <h2 id="delete-team-heading" className="text-lg font-semibold text-destructive">
            Delete team
          </h2>
          <p className="text-sm">Deleting {team.name} cannot be undone. It:</p>
          <ul className="list-inside list-disc space-y-1 text-sm text-muted-foreground" data-testid="delete-team-consequences">
            {deletion.subscriptions.map((s) => (
              <li key={s.id}>ends {s.label} now: Stripe charges nothing more, and the current period is not refunded;</li>
            ))}
            <li>
              removes its {deletion.members} member{deletion.members === 1 ? '' : 's'} (you too) and its items;
            </li>
            {deletion.invitations > 0 ? (
              <li>
                withdraws {deletion.invitations} pending invitation{deletion.invitations === 1 ? '' : 's'};
              </li>
            ) : null}
            {deletion.apiKeys > 0 ? (
              <li>
                stops its {deletion.apiKeys} API key{deletion.apiKeys === 1 ? '' : 's'} at once.
              </li>
            ) : null}
          </ul>
          <ActionForm action={deleteTeam} submitLabel="Delete team" pendingLabel="Deleting…" submitClassName="btn-danger">
            <input type="hidden" name="teamId" value={team.id} />
            <Field name="confirmName" label={`Type ${team.name} to confirm`} autoComplete="off" required />
            <Field name="password" label="Password, to confirm" type="password" autoComplete="current-password" required />
          </ActionForm>
        </section>
      ) : null}
    </div>
  );
}
