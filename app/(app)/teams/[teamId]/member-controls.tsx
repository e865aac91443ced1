'use client';

import { useId, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/sdk/errors';
import { teamRoles, type TeamRole } from '@/lib/auth/roles';
import { changeMemberRole, leaveTeam, removeMember, revokeInvitation } from '../actions';
import { useHydrated } from '@/app/_components/use-hydrated';

function useAction() {
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const run = (call: () => Promise<ActionResult<unknown>>) =>
    startTransition(async () => {
      const result = await call();
      setError(result.ok ? null : result.error.message);
    });
  // Busy while the action runs, and until hydrated (a click before would do nothing).
  return { pending, busy: pending || !hydrated, error, run };
}

function ErrorText({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="w-full text-sm text-destructive">
      {error}
    </p>
  ) : null;
}

export function MemberControls({ teamId, member }: { teamId: string; member: { userId: string; name: string; role: TeamRole } }) {
  const id = useId();
  const { busy, error, run } = useAction();
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <label htmlFor={id} className="sr-only">
        Role of {member.name}
      </label>
      <select
        id={id}
        value={member.role}
        disabled={busy}
        className="input w-auto py-1.5"
        onChange={(event) => run(() => changeMemberRole({ teamId, userId: member.userId, role: event.target.value }))}
      >
        {teamRoles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
      <button type="button" className="btn-danger py-1.5" disabled={busy} onClick={() => run(() => removeMember({ teamId, userId: member.userId }))}>
        Remove<span className="sr-only"> {member.name}</span>
      </button>
      <ErrorText error={error} />
    </div>
  );
}

export function LeaveTeamButton({ teamId }: { teamId: string }) {
  const { pending, busy, error, run } = useAction();
  return (
    <div className="flex flex-col items-end gap-1">
      <button type="button" className="btn-danger" disabled={busy} onClick={() => run(() => leaveTeam({ teamId }))}>
        {pending ? 'Leaving…' : 'Leave team'}
      </button>
      <ErrorText error={error} />
    </div>
  );
}

export function InvitationControls({ teamId, invitation }: { teamId: string; invitation: { id: string; email: string } }) {
  const { pending, busy, error, run } = useAction();
  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        className="btn-secondary py-1.5"
        disabled={busy}
        onClick={() => run(() => revokeInvitation({ teamId, invitationId: invitation.id }))}
      >
        {pending ? 'Revoking…' : 'Revoke'}
        <span className="sr-only"> the invitation of {invitation.email}</span>
      </button>
      <ErrorText error={error} />
    </div>
  );
}
