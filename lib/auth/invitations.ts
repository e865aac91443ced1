import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db';
import { all, get, lock, run } from '../../db/work';
import { invitation, member, organization, user } from '../../db/schema';
import type { CustomerClock } from '../clock';
import { AppError } from '../errors';
import { quotedName, type Mailer } from '../mail/mail';
import { teamRoleSchema, type TeamRole } from './roles';
import { canManageTeam } from './roles';
import { admitSignInAttempt } from './sign-in-throttle';
import { requireFreeSeat, requireManager, seatsIn } from './teams';

/**
 * People join a team by invitation: an owner or admin invites an email, the person gets a link,
 * and signing in (or up) with that email through it joins the team. A pending invitation holds a
 * seat. The link carries a secret (256 random bits) that only the mail has: the row keeps its
 * SHA-256, and pages (which show the row's id, to revoke it) never see it.
 */
const INVITATION_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export type InvitationDeps = { db: Db; sendMail: Mailer; appUrl: string };
export type PendingInvitation = { id: string; email: string; role: TeamRole; expiresAt: number };

const invitationNotFound = () => new AppError('not_found', 'This invitation does not exist, was revoked, or has already been used.');
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const isPending = (now: number) => and(eq(invitation.status, 'pending'), gt(invitation.expiresAt, new Date(now)));

/**
 * Invites `email` (a new invitation, or the pending one sent again with this role). Writes the
 * invitation under the team's lock with the seat check, then mails the link; if the mail cannot be
 * sent, a new invitation is taken back, so nothing half-done is left.
 */
export async function inviteMember({ db, sendMail, appUrl }: InvitationDeps, actorId: string, teamId: string, rawEmail: string, role: TeamRole, now: number) {
  const email = rawEmail.toLowerCase();
  // Mails are spaced out after a few to one address from one team, and after a few dozen from one
  // inviter: nobody floods an inbox through the app's sender.
  const admitted = await admitSignInAttempt(
    db,
    [
      { kind: 'invite', value: `${teamId}:${email}` },
      { kind: 'inviter', value: actorId },
    ],
    now,
  );
  if (!admitted.admitted) {
    const minutes = Math.ceil(admitted.retryAfterMs / 60_000);
    throw new AppError('rate_limited', `${email} was invited several times just now. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
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
      // Sent again: a new link (the earlier one stops working), the new role, the same seat.
      yield* run(tx.update(invitation).set({ role, expiresAt, tokenHash, inviterId: actorId }).where(eq(invitation.id, pending.id)));
      return { id: pending.id, created: false, teamName: team.name, inviterName: inviter.name };
    }
    yield* requireFreeSeat(tx, teamId, now);
    const id = randomUUID();
    yield* run(
      tx
        .insert(invitation)
        .values({ id, organizationId: teamId, email, role, status: 'pending', expiresAt, createdAt: new Date(now), inviterId: actorId, tokenHash }),
    );
    return { id, created: true, teamName: team.name, inviterName: inviter.name };
  });
  try {
    // Team and account names are anyone's words ("Verify now: https://…"): they stay out of the
    // subject, and the text quotes them as names. The link is the only address the mail gives.
    await sendMail({
      to: email,
      subject: 'You are invited to a team on Tally',
      text: [
        `The Tally account named ${quotedName(inviterName)} invited you to join its team named ${quotedName(teamName)} as ${role === 'member' ? 'a member' : `an ${role}`}.`,
        '',
        `Join: ${appUrl}/invitations/${token}`,
        '',
        `Sign in or create an account with ${email} through the link. It expires in ${INVITATION_DAYS} days. If you do not know this team, ignore this mail.`,
      ].join('\n'),
    });
  } catch (error) {
    if (created) await db.write((tx) => run(tx.delete(invitation).where(eq(invitation.id, id))));
    if (error instanceof AppError && error.code === 'rate_limited') {
      // The address's mail limit (../mail/mail.ts), counted across every sender.
      throw new AppError(
        'rate_limited',
        `${created ? 'The invitation was not sent, so nothing was saved' : 'The invitation was not sent again, and its earlier link no longer works'}: ${error.message}`,
      );
    }
    console.error(error);
    throw new AppError(
      'mail_failed',
      created
        ? `The invitation email to ${email} could not be sent, so nothing was saved. Please try again.`
        : `The invitation email to ${email} could not be sent again, and its earlier link no longer works. Please try again.`,
    );
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

/** What the invitation page shows to whoever holds the link; null once it is not pending (at the team's time). */
export async function getInvitation(db: Db, token: string, clock: CustomerClock) {
  const row = await db.read((tx) =>
    get(
      tx
        .select({
          email: invitation.email,
          role: invitation.role,
          expiresAt: invitation.expiresAt,
          teamId: invitation.organizationId,
          teamName: organization.name,
          inviterName: user.name,
        })
        .from(invitation)
        .innerJoin(organization, eq(organization.id, invitation.organizationId))
        .innerJoin(user, eq(user.id, invitation.inviterId))
        .where(and(eq(invitation.tokenHash, hashToken(token)), eq(invitation.status, 'pending'))),
    ),
  );
  if (!row || row.expiresAt.getTime() <= clock({ type: 'team', id: row.teamId })) return null;
  return { ...row, role: teamRoleSchema.parse(row.role ?? 'member') };
}

/**
 * Joins the team as the invited email. Only the mail had the link, so following it proves the
 * address: it is marked verified. The invitation held a seat; it is checked again all the same, as
 * the team's seats may have dropped (a plan ended) since, and so is the inviter's authority.
 */
export async function acceptInvitation(db: Db, userId: string, token: string, clock: CustomerClock): Promise<{ teamId: string }> {
  const found = await db.read((tx) =>
    get(
      tx
        .select()
        .from(invitation)
        .where(and(eq(invitation.tokenHash, hashToken(token)), eq(invitation.status, 'pending'))),
    ),
  );
  if (!found) throw invitationNotFound();
  const teamId = found.organizationId;
  const now = clock({ type: 'team', id: teamId });
  return db
    .write(function* (tx) {
      yield* lock(`team:${teamId}`);
      const current = yield* get(
        tx
          .select()
          .from(invitation)
          .where(and(eq(invitation.id, found.id), isPending(now))),
      );
      if (!current) throw invitationNotFound(); // accepted, revoked or expired, perhaps while we waited for the lock
      const invitee = (yield* get(tx.select({ email: user.email }).from(user).where(eq(user.id, userId))))!;
      if (invitee.email.toLowerCase() !== current.email) {
        throw new AppError('forbidden', `This invitation is for ${current.email}. Sign in with that email to accept it.`);
      }
      const role = teamRoleSchema.parse(current.role ?? 'member');
      const inviter = yield* get(
        tx
          .select({ role: member.role })
          .from(member)
          .where(and(eq(member.organizationId, teamId), eq(member.userId, current.inviterId))),
      );
      const inviterRole = inviter ? teamRoleSchema.parse(inviter.role) : null;
      if (!inviterRole || !canManageTeam(inviterRole) || (role === 'owner' && inviterRole !== 'owner')) {
        yield* run(tx.update(invitation).set({ status: 'canceled' }).where(eq(invitation.id, current.id)));
        return { revoked: true as const };
      }
      const existing = yield* get(
        tx
          .select({ id: member.id })
          .from(member)
          .where(and(eq(member.organizationId, teamId), eq(member.userId, userId))),
      );
      if (!existing) {
        const { seats, members } = yield* seatsIn(tx, teamId, now);
        if (members >= seats) {
          throw new AppError(
            'no_free_seat',
            `The team has no free seat now (${members} members, ${seats} seats). Ask its owner to buy a seat, then open the link again.`,
          );
        }
        yield* run(tx.insert(member).values({ id: randomUUID(), organizationId: teamId, userId, role, createdAt: new Date(now) }));
      }
      yield* run(tx.update(invitation).set({ status: 'accepted' }).where(eq(invitation.id, current.id)));
      yield* run(tx.update(user).set({ emailVerified: true }).where(eq(user.id, userId)));
      return { revoked: false as const };
    })
    .then((outcome) => {
      if (outcome.revoked) throw new AppError('not_found', 'Whoever sent this invitation can no longer invite to this team. Ask the team for a new one.');
      return { teamId };
    });
}
