import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../../db';
import { all, get, run } from '../../db/work';
import { member, organization, user } from '../../db/schema';
import { AppError } from '../errors';
import { hasLiveSubscription } from '../payments/purchase-rows';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';

/** The account page's changes. Each takes the request's headers: better-auth checks the session itself. */
export async function renameAccount(auth: Auth, headers: Headers, name: string): Promise<void> {
  await auth.api.updateUser({ body: { name }, headers }).catch((error: unknown) => {
    throw toAuthError(error);
  });
}

/** Changes the password after checking the current one; every other session of the account is signed out. */
export async function changePassword(auth: Auth, headers: Headers, currentPassword: string, newPassword: string): Promise<void> {
  try {
    await auth.api.changePassword({ body: { currentPassword, newPassword, revokeOtherSessions: true }, headers });
  } catch (error) {
    const code = (error as { body?: { code?: string } }).body?.code;
    if (code === 'INVALID_PASSWORD') throw new AppError('invalid_credentials', 'Your current password is not right.');
    throw toAuthError(error);
  }
}

/**
 * Deletes the account and everything of it (sessions, memberships; its purchases stay as records).
 * Refused while it pays for a subscription (cancel it first: Stripe would go on charging) or is the
 * only owner of a team that has other members (make someone else owner first, or remove them).
 * A team it alone is in goes with it.
 */
export async function deleteAccount(db: Db, userId: string): Promise<void> {
  await db.write(function* (tx) {
    if (yield* hasLiveSubscription(tx, { type: 'user', id: userId })) {
      throw new AppError('invalid_input', 'Cancel your subscription on the billing page first: Stripe would go on charging it.');
    }
    const owned = yield* all(
      tx
        .select({ teamId: member.organizationId, name: organization.name })
        .from(member)
        .innerJoin(organization, eq(organization.id, member.organizationId))
        .where(and(eq(member.userId, userId), eq(member.role, 'owner'))),
    );
    for (const team of owned) {
      const owners = (yield* get(
        tx
          .select({ n: count() })
          .from(member)
          .where(and(eq(member.organizationId, team.teamId), eq(member.role, 'owner'))),
      ))!.n;
      const members = (yield* get(tx.select({ n: count() }).from(member).where(eq(member.organizationId, team.teamId))))!.n;
      if (owners === 1 && members > 1) throw new AppError('last_owner', `You are the only owner of ${team.name}: make someone else owner first.`);
      if (members === 1) {
        if (yield* hasLiveSubscription(tx, { type: 'team', id: team.teamId })) {
          throw new AppError('invalid_input', `${team.name} has a subscription: cancel it on its billing page first.`);
        }
        yield* run(tx.delete(organization).where(eq(organization.id, team.teamId)));
      }
    }
    yield* run(tx.delete(user).where(eq(user.id, userId)));
  });
}
