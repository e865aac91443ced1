import type { Db } from '../../db';
import { listTeamsForUser, type TeamSummary } from '../auth/teams';
import type { TeamRole } from '../auth/roles';

export type SelectedCustomer = { type: 'user'; id: string; displayName: string } | { type: 'team'; id: string; displayName: string; role: TeamRole };

/** The cookie value that names a customer: `user` or `team:<id>`. */
export function customerKey(customer: { type: 'user' } | { type: 'team'; id: string }): string {
  return customer.type === 'user' ? 'user' : `team:${customer.id}`;
}

/** The selection cookie: never readable by scripts, and never sent over plain http when the app is on https. */
export function customerCookieOptions(appUrl: string) {
  return { httpOnly: true, sameSite: 'lax', secure: new URL(appUrl).protocol === 'https:', path: '/', maxAge: 60 * 60 * 24 * 365 } as const;
}

/**
 * Which customer the signed-in user acts as. The choice is only a preference stored in a cookie:
 * a team the user no longer belongs to falls back to the personal account.
 */
export async function resolveSelectedCustomer(db: Db, userId: string, key: string | undefined): Promise<{ selected: SelectedCustomer; teams: TeamSummary[] }> {
  const teams = await listTeamsForUser(db, userId);
  const team = key?.startsWith('team:') ? teams.find((t) => t.id === key.slice('team:'.length)) : undefined;
  const selected: SelectedCustomer = team
    ? { type: 'team', id: team.id, displayName: team.name, role: team.role }
    : { type: 'user', id: userId, displayName: 'Personal' };
  return { selected, teams };
}
