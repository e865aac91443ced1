import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db';
import { all, get, lock, run } from '../../db/work';
import { invitation, member, organization, user } from '../../db/schema';
import { AppError } from '../errors';
import type { Mailer } from '../mail/mail';
import { teamRoleSchema, type TeamRole } from './roles';
import { requireFreeSeat, requireManager } from './teams';

/**
 * People join a team by invitation: an owner or admin invites an email, the person gets a link,
 * and signing in (or up) with that email through it joins the team. A pending invitation holds a
 * seat, so accepting never fails for lack of one. The id is the link's secret (256 random bits).
 */
const INVITATION_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export type InvitationDeps = { db: Db; sendMail: Mailer; appUrl: string };
export type PendingInvitation = { id: string; email: string; role: TeamRole; expiresAt: number };

const invitationNotFound = () => new AppError('not_found', 'This invitation does not exist, was revoked, or has already been used.');
const isPending = (now: number) => and(eq(invitation.status, 'pending'), gt(invitation.expiresAt, new Date(now)));

/**
 * Invites `email` (a new invitation, or the pending one sent again with this role). Writes the
 * invitation under the team's lock with the seat check, then mails the link; if the mail cannot be
 * sent, a new invitation is taken back, so nothing half-done is left.
 */
export async function inviteMember({ db, sendMail, appUrl }: InvitationDeps, actorId: string, teamId: string, rawEmail: string, role: TeamRole, now: number) {
  const email = rawEmail.toLowerCase();
  const { id, created, teamName, inviterName } = await db.write(function* (tx) {
    yield* lock(`team:${teamId}`);
    const actorRole = yield* requireManager(tx, teamId, actorId);
    if (role === 'owner' && actorRole !== 'owner') throw new AppError('forbidden', 'Only an owner can invite another owner.');
    const alreadyMember = yield* get(
      tx
        .select({ id: member.id })
        .from(member)
        .innerJoin(user, eq(user.id, member.userId))
        .where(and(eq(member.organizationId, teamId), eq(user.email, email))),
    );
    if (alreadyMember) throw new AppError('already_member', `${email} is already a member of this team.`);
    const team = (yield* get(tx.select({ name: organization.name }).from(organization).where(eq(organization.id, teamId))))!;
    const inviter = (yield* get(tx.select({ name: user.name }).from(user).where(eq(user.id, actorId))))!;
    const expiresAt = new Date(now + INVITATION_DAYS * DAY_MS);
    const pending = yield* get(
      tx
        .select({ id: invitation.id })
        .from(invitation)
        .where(and(eq(invitation.organizationId, teamId), eq(invitation.email, email), isPending(now))),
    );
    if (pending) {
      yield* run(tx.update(invitation).set({ role, expiresAt }).where(eq(invitation.id, pending.id)));
      return { id: pending.id, created: false, teamName: team.name, inviterName: inviter.name };
    }
    yield* requireFreeSeat(tx, teamId, now);
    const id = randomBytes(32).toString('base64url');
    yield* run(
      tx.insert(invitation).values({ id, organizationId: teamId, email, role, status: 'pending', expiresAt, createdAt: new Date(now), inviterId: actorId }),
    );
    return { id, created: true, teamName: team.name, inviterName: inviter.name };
  });
  try {
    await sendMail({
      to: email,
      subject: `${inviterName} invited you to ${teamName} on Tally`,
      text: [
        `${inviterName} invited you to join the team ${teamName} on Tally as ${role === 'member' ? 'a member' : `an ${role}`}.`,
        '',
        `Join: ${appUrl}/invitations/${id}`,
        '',
        `Sign in or create an account with ${email} through the link. It expires in ${INVITATION_DAYS} days.`,
      ].join('\n'),
    });
  } catch (error) {
    if (created) await db.write((tx) => run(tx.delete(invitation).where(eq(invitation.id, id))));
    console.error(error);
    throw new AppError('mail_failed', `The invitation email to ${email} could not be sent, so nothing was saved. Please try again.`);
  }
  return { id };
}

/** A team's pending invitations, for its owners and admins. */
export function listPendingInvitations(db: Db, actorId: string, teamId: string, now: number): Promise<PendingInvitation[]> {
  return db.read(function* (tx) {
    yield* requireManager(tx, teamId, actorId);
    const rows = yield* all(
      tx
        .select({ id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt })
        .from(invitation)
        .where(and(eq(invitation.organizationId, teamId), isPending(now)))
        .orderBy(asc(invitation.email)),
    );
    return rows.map((row) => ({ ...row, role: teamRoleSchema.parse(row.role ?? 'member'), expiresAt: row.expiresAt.getTime() }));
  });
}

/** Revokes a pending invitation of this team: its link stops working and its seat is free again. */
export async function revokeInvitation(db: Db, actorId: string, teamId: string, invitationId: string, now: number): Promise<void> {
  const revoked = await db.write(function* (tx) {
    yield* lock(`team:${teamId}`);
    yield* requireManager(tx, teamId, actorId);
    return yield* run(
      tx
        .update(invitation)
        .set({ status: 'canceled' })
        .where(and(eq(invitation.id, invitationId), eq(invitation.organizationId, teamId), isPending(now))),
    );
  });
  if (revoked === 0) throw invitationNotFound();
}

/** What the invitation page shows to whoever holds the link. */
export async function getInvitation(db: Db, invitationId: string, now: number) {
  const row = await db.read((tx) =>
    get(
      tx
        .select({ email: invitation.email, role: invitation.role, teamId: invitation.organizationId, teamName: organization.name, inviterName: user.name })
        .from(invitation)
        .innerJoin(organization, eq(organization.id, invitation.organizationId))
        .innerJoin(user, eq(user.id, invitation.inviterId))
        .where(and(eq(invitation.id, invitationId), isPending(now))),
    ),
  );
  return row ? { ...row, role: teamRoleSchema.parse(row.role ?? 'member') } : null;
}

/**
 * Joins the team as the invited email. The link went to that mailbox, so following it proves the
 * address: it is marked verified. The seat was held since the invitation, so none is checked here.
 */
export async function acceptInvitation(db: Db, userId: string, invitationId: string, now: number): Promise<{ teamId: string }> {
  return db.write(function* (tx) {
    const found = yield* get(
      tx
        .select()
        .from(invitation)
        .where(and(eq(invitation.id, invitationId), isPending(now))),
    );
    if (!found) throw invitationNotFound();
    yield* lock(`team:${found.organizationId}`);
    const again = yield* get(tx.select({ status: invitation.status }).from(invitation).where(eq(invitation.id, invitationId)));
    if (again?.status !== 'pending') throw invitationNotFound(); // accepted or revoked while we waited for the lock
    const invitee = (yield* get(tx.select({ email: user.email }).from(user).where(eq(user.id, userId))))!;
    if (invitee.email.toLowerCase() !== found.email) {
      throw new AppError('forbidden', `This invitation is for ${found.email}. Sign in with that email to accept it.`);
    }
    const existing = yield* get(
      tx
        .select({ id: member.id })
        .from(member)
        .where(and(eq(member.organizationId, found.organizationId), eq(member.userId, userId))),
    );
    if (!existing) {
      yield* run(
        tx.insert(member).values({ id: randomUUID(), organizationId: found.organizationId, userId, role: found.role ?? 'member', createdAt: new Date(now) }),
      );
    }
    yield* run(tx.update(invitation).set({ status: 'accepted' }).where(eq(invitation.id, invitationId)));
    yield* run(tx.update(user).set({ emailVerified: true }).where(eq(user.id, userId)));
    return { teamId: found.organizationId };
  });
}
