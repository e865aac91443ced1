import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { all, get, lock, run } from '../../db/work';
import { apiKey, invitation, member, organization, user } from '../../db/schema';
import { AppError } from '../errors';
import { endSubscriptionsNow } from '../payments/billing';
import { catalog } from '../payments/catalog';
import { chargingSubscriptions, type PurchaseRow } from '../payments/purchase-rows';
import type { StripeDeps } from '../payments/stripe-sync';
import { confirmPassword } from './account';
import type { Auth } from './auth';
import { teamRole } from './teams';

/**
 * Deleting an account or a team: what it will do is shown first (the same plan the deletion then
 * follows), Stripe subscriptions end before anything is deleted (a deleted customer must not go on
 * being charged), and the plan is checked again in the deleting transaction.
 */

/** A subscription as a page names it: "Pro (team Acme)". */
const named = (subscriptions: PurchaseRow[], owner: string) =>
  subscriptions.map((s) => ({ ...s, label: `${catalog.products[s.productId]?.displayName ?? s.productId} (${owner})` }));

function* accountPlan(tx: Tx, userId: string) {
  const owned = yield* all(
    tx
      .select({ id: member.organizationId, name: organization.name })
      .from(member)
      .innerJoin(organization, eq(organization.id, member.organizationId))
      .where(and(eq(member.userId, userId), eq(member.role, 'owner'))),
  );
  const teamsDeleted: { id: string; name: string }[] = [];
  let blocker: string | null = null;
  for (const team of owned) {
    const members = yield* all(tx.select({ role: member.role }).from(member).where(eq(member.organizationId, team.id)));
    if (members.length === 1) teamsDeleted.push(team);
    else if (members.filter((m) => m.role === 'owner').length === 1) blocker ??= `You are the only owner of ${team.name}: make someone else owner first.`;
  }
  const subscriptions = named(yield* chargingSubscriptions(tx, { type: 'user', id: userId }), 'personal');
  for (const team of teamsDeleted) subscriptions.push(...named(yield* chargingSubscriptions(tx, { type: 'team', id: team.id }), `team ${team.name}`));
  return { teamsDeleted, subscriptions, blocker };
}

/** What deleting the account would do: the teams it takes along, the subscriptions it ends, or why it cannot. */
export function previewAccountDeletion(db: Db, userId: string) {
  return db.read((tx) => accountPlan(tx, userId));
}

/** Ends the account's subscriptions (and those of the teams it is alone in), then deletes it and those teams. */
export async function deleteAccount(deps: StripeDeps, userId: string): Promise<void> {
  const plan = await previewAccountDeletion(deps.db, userId);
  if (plan.blocker) throw new AppError('last_owner', plan.blocker);
  await endSubscriptionsNow(deps, plan.subscriptions);
  await deps.db.write(function* (tx) {
    const again = yield* accountPlan(tx, userId);
    if (again.blocker) throw new AppError('last_owner', again.blocker);
    if (again.subscriptions.length > 0) throw new AppError('invalid_input', 'A subscription started meanwhile: look at the billing page, then try again.');
    for (const team of again.teamsDeleted) yield* run(tx.delete(organization).where(eq(organization.id, team.id)));
    yield* run(tx.delete(user).where(eq(user.id, userId)));
  });
}

function* teamPlan(tx: Tx, teamId: string, actorId: string) {
  if ((yield* teamRole(tx, teamId, actorId)) !== 'owner') throw new AppError('forbidden', 'Only an owner can delete the team.');
  const name = (yield* get(tx.select({ name: organization.name }).from(organization).where(eq(organization.id, teamId))))!.name;
  return {
    name,
    members: (yield* get(tx.select({ n: count() }).from(member).where(eq(member.organizationId, teamId))))!.n,
    apiKeys: (yield* get(
      tx
        .select({ n: count() })
        .from(apiKey)
        .where(and(eq(apiKey.teamId, teamId), isNull(apiKey.revokedAt))),
    ))!.n,
    invitations: (yield* get(
      tx
        .select({ n: count() })
        .from(invitation)
        .where(and(eq(invitation.organizationId, teamId), eq(invitation.status, 'pending'))),
    ))!.n,
    subscriptions: named(yield* chargingSubscriptions(tx, { type: 'team', id: teamId }), `team ${name}`),
  };
}

/** What deleting the team would do (owners only): members who lose it, keys that stop, subscriptions that end. */
export function previewTeamDeletion(db: Db, actorId: string, teamId: string) {
  return db.read((tx) => teamPlan(tx, teamId, actorId));
}

/** Ends the team's subscriptions, then deletes it with its memberships, invitations and API keys. */
export async function deleteTeam(deps: StripeDeps, actorId: string, teamId: string): Promise<void> {
  await endSubscriptionsNow(deps, (await previewTeamDeletion(deps.db, actorId, teamId)).subscriptions);
  await deps.db.write(function* (tx) {
    yield* lock(`team:${teamId}`);
    const again = yield* teamPlan(tx, teamId, actorId);
    if (again.subscriptions.length > 0) throw new AppError('invalid_input', 'A subscription started meanwhile: look at the billing page, then try again.');
    yield* run(tx.delete(organization).where(eq(organization.id, teamId)));
  });
}

/**
 * The team page's deletion: the owner types the team's name and their password, as deleting the
 * account asks (a borrowed session must not be enough to end a paid team; guesses are limited per
 * account like `confirmPassword`'s), then `deleteTeam`. Non-owners are refused before any guess.
 */
export async function deleteTeamConfirmed(
  deps: StripeDeps & { auth: Auth },
  headers: Headers,
  { actorId, teamId, confirmName, password }: { actorId: string; teamId: string; confirmName: string; password: string },
  now: number,
): Promise<void> {
  const { name } = await previewTeamDeletion(deps.db, actorId, teamId);
  if (confirmName !== name) throw new AppError('invalid_input', `Type ${name} to confirm.`);
  await confirmPassword(deps, headers, actorId, password, now);
  await deleteTeam(deps, actorId, teamId);
}
