import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db';
import { member, organization, user } from '../../db/schema';
import { AppError } from '../errors';
import { canManageTeam, teamRoleSchema, type TeamRole } from './roles';

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

export function createTeam(db: Db, ownerId: string, name: string, now = new Date()): TeamSummary {
  const id = randomUUID();
  db.transaction((tx) => {
    tx.insert(organization)
      .values({ id, name, slug: slugFor(name), createdAt: now })
      .run();
    tx.insert(member).values({ id: randomUUID(), organizationId: id, userId: ownerId, role: 'owner', createdAt: now }).run();
  });
  return { id, name, role: 'owner' };
}

export function listTeamsForUser(db: Queryable, userId: string): TeamSummary[] {
  return db
    .select({ id: organization.id, name: organization.name, role: member.role })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(eq(member.userId, userId))
    .orderBy(asc(organization.name))
    .all()
    .map((row) => ({ ...row, role: teamRoleSchema.parse(row.role) }));
}

/** The caller's role in the team; a non-member learns nothing, not even that the team exists. */
export function getTeamRole(db: Queryable, teamId: string, userId: string): TeamRole {
  const row = db
    .select({ role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, teamId), eq(member.userId, userId)))
    .get();
  if (!row) throw teamNotFound();
  return teamRoleSchema.parse(row.role);
}

export function getTeamForMember(db: Queryable, teamId: string, userId: string) {
  const role = getTeamRole(db, teamId, userId);
  const team = db.select({ id: organization.id, name: organization.name }).from(organization).where(eq(organization.id, teamId)).get();
  if (!team) throw teamNotFound();
  const members: TeamMember[] = db
    .select({ userId: user.id, name: user.name, email: user.email, role: member.role })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, teamId))
    .orderBy(asc(user.email))
    .all()
    .map((row) => ({ ...row, role: teamRoleSchema.parse(row.role) }));
  return { ...team, role, members };
}

function requireManager(db: Queryable, teamId: string, actorId: string): TeamRole {
  const role = getTeamRole(db, teamId, actorId);
  if (!canManageTeam(role)) throw new AppError('forbidden', 'Only team owners and admins can manage members.');
  return role;
}

function countOwners(db: Queryable, teamId: string): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(member)
    .where(and(eq(member.organizationId, teamId), eq(member.role, 'owner')))
    .get();
  return row?.n ?? 0;
}

function getMembership(db: Queryable, teamId: string, userId: string) {
  const row = db
    .select({ id: member.id, role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, teamId), eq(member.userId, userId)))
    .get();
  if (!row) throw new AppError('not_found', 'That person is not a member of this team.');
  return { id: row.id, role: teamRoleSchema.parse(row.role) };
}

export function addMemberByEmail(db: Db, actorId: string, teamId: string, email: string, role: TeamRole, now = new Date()) {
  return db.transaction(
    (tx) => {
      const actorRole = requireManager(tx, teamId, actorId);
      if (role === 'owner' && actorRole !== 'owner') throw new AppError('forbidden', 'Only an owner can add another owner.');
      const invitee = tx.select({ id: user.id }).from(user).where(eq(user.email, email.toLowerCase())).get();
      if (!invitee) throw new AppError('user_not_found', `No Tally account uses ${email}. Ask them to sign up first.`);
      const existing = tx
        .select({ id: member.id })
        .from(member)
        .where(and(eq(member.organizationId, teamId), eq(member.userId, invitee.id)))
        .get();
      if (existing) throw new AppError('already_member', `${email} is already a member of this team.`);
      tx.insert(member).values({ id: randomUUID(), organizationId: teamId, userId: invitee.id, role, createdAt: now }).run();
      return { userId: invitee.id };
    },
    { behavior: 'immediate' },
  );
}

export function changeMemberRole(db: Db, actorId: string, teamId: string, memberUserId: string, role: TeamRole) {
  db.transaction(
    (tx) => {
      const actorRole = requireManager(tx, teamId, actorId);
      const target = getMembership(tx, teamId, memberUserId);
      if ((role === 'owner' || target.role === 'owner') && actorRole !== 'owner') {
        throw new AppError('forbidden', 'Only an owner can grant or change the owner role.');
      }
      if (target.role === 'owner' && role !== 'owner' && countOwners(tx, teamId) === 1) {
        throw new AppError('last_owner', 'A team needs an owner: make someone else owner first.');
      }
      tx.update(member).set({ role }).where(eq(member.id, target.id)).run();
    },
    { behavior: 'immediate' },
  );
}

export function removeMember(db: Db, actorId: string, teamId: string, memberUserId: string) {
  db.transaction(
    (tx) => {
      if (actorId === memberUserId) {
        getTeamRole(tx, teamId, actorId);
      } else {
        const actorRole = requireManager(tx, teamId, actorId);
        if (getMembership(tx, teamId, memberUserId).role === 'owner' && actorRole !== 'owner') {
          throw new AppError('forbidden', 'Only an owner can remove another owner.');
        }
      }
      const target = getMembership(tx, teamId, memberUserId);
      if (target.role === 'owner' && countOwners(tx, teamId) === 1) {
        throw new AppError('last_owner', 'A team needs an owner: make someone else owner first.');
      }
      tx.delete(member).where(eq(member.id, target.id)).run();
    },
    { behavior: 'immediate' },
  );
}

export function leaveTeam(db: Db, userId: string, teamId: string) {
  removeMember(db, userId, teamId, userId);
}
