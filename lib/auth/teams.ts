import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { all, get, lock, run, type Work } from '../../db/work';
import { invitation, member, organization, user } from '../../db/schema';
import { AppError } from '../errors';
import { seatItemId } from '../payments/catalog';
import { getQuantity, quantityIn } from '../payments/items';
import { canManageTeam, teamRoleSchema, type TeamRole } from './roles';
import { admitSignInAttempt, type ThrottleKey } from './sign-in-throttle';

export type TeamSummary = { id: string; name: string; role: TeamRole };
export type TeamMember = { userId: string; name: string; email: string; role: TeamRole };

const teamNotFound = () => new AppError('team_not_found', 'Team not found.');

function slugFor(name: string): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'team';
  return `${base}-${randomUUID().slice(0, 8)}`;
}

export async function createTeam(db: Db, ownerId: string, name: string, now = new Date()): Promise<TeamSummary> {
  const id = randomUUID();
  await db.write(function* (tx) {
    yield* run(tx.insert(organization).values({ id, name, slug: slugFor(name), createdAt: now }));
    yield* run(tx.insert(member).values({ id: randomUUID(), organizationId: id, userId: ownerId, role: 'owner', createdAt: now }));
  });
  return { id, name, role: 'owner' };
}

/**
 * The teams page's way to create a team: each new team may invite (and so mail) people anew, so
 * creations are counted per account and, when one can be trusted, per client address, and spaced
 * out past a handful (./sign-in-throttle.ts `team_create`). `createTeam` itself (seed, tests) is not.
 */
export async function createTeamForUser(
  db: Db,
  { ownerId, name, clientAddress }: { ownerId: string; name: string; clientAddress: string | null },
  now: number,
) {
  const keys: ThrottleKey[] = [{ kind: 'team_create', value: ownerId }];
  if (clientAddress) keys.push({ kind: 'team_create_client', value: clientAddress });
  const admitted = await admitSignInAttempt(db, keys, now);
  if (!admitted.admitted) {
    const minutes = Math.ceil(admitted.retryAfterMs / 60_000);
    throw new AppError('rate_limited', `You created several teams just now. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }
  return createTeam(db, ownerId, name, new Date(now));
}

export function listTeamsForUser(db: Db, userId: string): Promise<TeamSummary[]> {
  return db.read(function* (tx) {
    const rows = yield* all(
      tx
        .select({ id: organization.id, name: organization.name, role: member.role })
        .from(member)
        .innerJoin(organization, eq(organization.id, member.organizationId))
        .where(eq(member.userId, userId))
        .orderBy(asc(organization.name)),
    );
    return rows.map((row) => ({ ...row, role: teamRoleSchema.parse(row.role) }));
  });
}

/** The caller's role in the team; a non-member learns nothing, not even that the team exists. */
export function* teamRole(tx: Tx, teamId: string, userId: string): Work<TeamRole> {
  const row = yield* get(
    tx
      .select({ role: member.role })
      .from(member)
      .where(and(eq(member.organizationId, teamId), eq(member.userId, userId))),
  );
  if (!row) throw teamNotFound();
  return teamRoleSchema.parse(row.role);
}

export function getTeamRole(db: Db, teamId: string, userId: string): Promise<TeamRole> {
  return db.read((tx) => teamRole(tx, teamId, userId));
}

export function getTeamForMember(db: Db, teamId: string, userId: string) {
  return db.read(function* (tx) {
    const role = yield* teamRole(tx, teamId, userId);
    const team = yield* get(tx.select({ id: organization.id, name: organization.name }).from(organization).where(eq(organization.id, teamId)));
    if (!team) throw teamNotFound();
    const rows = yield* all(
      tx
        .select({ userId: user.id, name: user.name, email: user.email, role: member.role })
        .from(member)
        .innerJoin(user, eq(user.id, member.userId))
        .where(eq(member.organizationId, teamId))
        .orderBy(asc(user.email)),
    );
    const members: TeamMember[] = rows.map((row) => ({ ...row, role: teamRoleSchema.parse(row.role) }));
    return { ...team, role, members };
  });
}

/** The actor's role if it may manage the team (`what`, for the message), else forbidden; non-members get "not found". */
export function* requireManager(tx: Tx, teamId: string, actorId: string, what = 'manage members'): Work<TeamRole> {
  const role = yield* teamRole(tx, teamId, actorId);
  if (!canManageTeam(role)) throw new AppError('forbidden', `Only team owners and admins can ${what}.`);
  return role;
}

function* countOwners(tx: Tx, teamId: string): Work<number> {
  const row = yield* get(
    tx
      .select({ n: count() })
      .from(member)
      .where(and(eq(member.organizationId, teamId), eq(member.role, 'owner'))),
  );
  return row?.n ?? 0;
}

function* getMembership(tx: Tx, teamId: string, userId: string) {
  const row = yield* get(
    tx
      .select({ id: member.id, role: member.role })
      .from(member)
      .where(and(eq(member.organizationId, teamId), eq(member.userId, userId))),
  );
  if (!row) throw new AppError('not_found', 'That person is not a member of this team.');
  return { id: row.id, role: teamRoleSchema.parse(row.role) };
}

function* countMembers(tx: Tx, teamId: string): Work<number> {
  return (yield* get(tx.select({ n: count() }).from(member).where(eq(member.organizationId, teamId))))?.n ?? 0;
}

/** Invitations not yet accepted, revoked or expired: each holds a seat, so accepting never fails for lack of one. */
function* countPendingInvitations(tx: Tx, teamId: string, now: number): Work<number> {
  const pending = and(eq(invitation.organizationId, teamId), eq(invitation.status, 'pending'), gt(invitation.expiresAt, new Date(now)));
  return (yield* get(tx.select({ n: count() }).from(invitation).where(pending)))?.n ?? 0;
}

/**
 * A team's seats and who takes them: every member (owners too) and every pending invitation.
 * `now` is the team's time (its seats may come from a subscription that has just renewed or ended).
 */
export function* seatsIn(tx: Tx, teamId: string, now: number) {
  const seats = yield* quantityIn(tx, { customer: { type: 'team', id: teamId }, itemId: seatItemId }, now);
  const members = yield* countMembers(tx, teamId);
  const invited = yield* countPendingInvitations(tx, teamId, now);
  return { seats, members, invited, used: members + invited };
}

/** `seatsIn` for pages: reads only, unless the seats' quantity has something due to settle. */
export async function getSeats(db: Db, teamId: string, now: number) {
  const [seats, { members, invited }] = await Promise.all([
    getQuantity(db, { customer: { type: 'team', id: teamId }, itemId: seatItemId }, now),
    db.read(function* (tx) {
      return { members: yield* countMembers(tx, teamId), invited: yield* countPendingInvitations(tx, teamId, now) };
    }),
  ]);
  return { seats, members, invited, used: members + invited };
}

/** The one wording of a team's seats, wherever they are shown: "4 of 7 seats used (2 held by invitations)". */
export function describeSeats({ seats, members, used }: { seats: number; members: number; used: number }): string {
  return `${used} of ${seats.toLocaleString('en-US')} seats used${used > members ? ` (${used - members} held by invitations)` : ''}`;
}

/** Refuses when every seat is taken by a member or held by an invitation; run under the team's lock. */
export function* requireFreeSeat(tx: Tx, teamId: string, now: number): Work<void> {
  const { seats, members, invited, used } = yield* seatsIn(tx, teamId, now);
  if (used >= seats) {
    const held = invited ? ` and ${invited} pending invitation${invited === 1 ? '' : 's'}` : '';
    throw new AppError(
      'no_free_seat',
      `All ${seats} seats of this team are taken (${members} member${members === 1 ? '' : 's'}${held}): buy a seat to add someone.`,
    );
  }
}

/**
 * Adds an existing user to a team directly (the seed and tests; people join through invitations,
 * ./invitations.ts). Needs a free seat: the seat count and the insert are one
 * transaction under the team's lock, so two adds for the last seat cannot both win. `now` is the
 * team's time (its seats may come from a subscription that has just renewed or ended).
 */
export function addMemberByEmail(db: Db, actorId: string, teamId: string, email: string, role: TeamRole, now: number) {
  return db.write(function* (tx) {
    yield* lock(`team:${teamId}`); // the rules read members, then write them
    const actorRole = yield* requireManager(tx, teamId, actorId);
    if (role === 'owner' && actorRole !== 'owner') throw new AppError('forbidden', 'Only an owner can add another owner.');
    const invitee = yield* get(tx.select({ id: user.id }).from(user).where(eq(user.email, email.toLowerCase())));
    if (!invitee) throw new AppError('user_not_found', `No Tally account uses ${email}. Ask them to sign up first.`);
    const existing = yield* get(
      tx
        .select({ id: member.id })
        .from(member)
        .where(and(eq(member.organizationId, teamId), eq(member.userId, invitee.id))),
    );
    if (existing) throw new AppError('already_member', `${email} is already a member of this team.`);
    yield* requireFreeSeat(tx, teamId, now);
    yield* run(tx.insert(member).values({ id: randomUUID(), organizationId: teamId, userId: invitee.id, role, createdAt: new Date(now) }));
    return { userId: invitee.id };
  });
}

export function changeMemberRole(db: Db, actorId: string, teamId: string, memberUserId: string, role: TeamRole): Promise<void> {
  return db.write(function* (tx) {
    yield* lock(`team:${teamId}`); // the rules read members, then write them
    const actorRole = yield* requireManager(tx, teamId, actorId);
    const target = yield* getMembership(tx, teamId, memberUserId);
    if ((role === 'owner' || target.role === 'owner') && actorRole !== 'owner') {
      throw new AppError('forbidden', 'Only an owner can grant or change the owner role.');
    }
    if (target.role === 'owner' && role !== 'owner' && (yield* countOwners(tx, teamId)) === 1) {
      throw new AppError('last_owner', 'A team needs an owner: make someone else owner first.');
    }
    yield* run(tx.update(member).set({ role }).where(eq(member.id, target.id)));
  });
}

export function removeMember(db: Db, actorId: string, teamId: string, memberUserId: string): Promise<void> {
  return db.write(function* (tx) {
    yield* lock(`team:${teamId}`); // the rules read members, then write them
    if (actorId === memberUserId) {
      yield* teamRole(tx, teamId, actorId);
    } else {
      const actorRole = yield* requireManager(tx, teamId, actorId);
      if ((yield* getMembership(tx, teamId, memberUserId)).role === 'owner' && actorRole !== 'owner') {
        throw new AppError('forbidden', 'Only an owner can remove another owner.');
      }
    }
    const target = yield* getMembership(tx, teamId, memberUserId);
    if (target.role === 'owner' && (yield* countOwners(tx, teamId)) === 1) {
      throw new AppError('last_owner', 'A team needs an owner: make someone else owner first.');
    }
    yield* run(tx.delete(member).where(eq(member.id, target.id)));
  });
}

export function leaveTeam(db: Db, userId: string, teamId: string): Promise<void> {
  return removeMember(db, userId, teamId, userId);
}
