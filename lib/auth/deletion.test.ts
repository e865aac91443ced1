import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, insertUser } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { createApiKey } from '../api/keys';
import { createCheckoutUrl } from '../payments/checkout';
import type { CustomerRef } from '../payments/customer-ref';
import { fulfillCheckout, type StripeDeps } from '../payments/stripe-sync';
import { openEmulatorDb } from '../stripe/emulator/db';
import { payCheckoutSession } from '../stripe/emulator/checkout';
import { createInProcessStripe, TEST_APP_URL } from '../stripe/emulator/testing';
import { listObjects } from '../stripe/emulator/store';
import { createAuth } from './auth';
import { deleteAccount, deleteTeam, deleteTeamConfirmed, previewAccountDeletion, previewTeamDeletion } from './deletion';
import { addMemberByEmail, changeMemberRole, createTeam, listTeamsForUser } from './teams';

let deps: StripeDeps & { appUrl: string };
let emulatorDb: ReturnType<typeof openEmulatorDb>;
let alice: string;

beforeEach(async () => {
  emulatorDb = openEmulatorDb(':memory:');
  deps = { db: await createTestDb(), stripe: createInProcessStripe(emulatorDb), now: () => Date.now(), appUrl: TEST_APP_URL };
  alice = await insertUser(deps.db, 'alice@example.com');
});

/** A paid Stripe subscription of `productId`, recorded as the return page records it. */
async function subscribe(customer: CustomerRef, productId: string) {
  const sessionId = (await createCheckoutUrl(deps, customer, { productId })).split('/').at(-1)!;
  expect(payCheckoutSession(emulatorDb, sessionId, { type: 'card', number: '4242424242424242' }, Date.now()).ok).toBe(true);
  await fulfillCheckout(deps, sessionId);
}

const stripeStatuses = () => listObjects<{ id: string; object: string; status: string }>(emulatorDb, 'subscription').map((s) => s.status);
const userExists = async (id: string) => !!(await deps.db.orm.query.user.findFirst({ where: (u, { eq }) => eq(u.id, id) }));
const teamExists = async (id: string) => !!(await deps.db.orm.query.organization.findFirst({ where: (o, { eq }) => eq(o.id, id) }));

describe('deleting an account', () => {
  it('says what it will do, ends the subscriptions at Stripe, then deletes the user and the teams it was alone in', async () => {
    const solo = (await createTeam(deps.db, alice, 'Solo')).id;
    const bob = await insertUser(deps.db, 'bob@example.com');
    const shared = (await createTeam(deps.db, bob, 'Shared')).id;
    await addMemberByEmail(deps.db, bob, shared, 'alice@example.com', 'member', Date.now());
    await subscribe({ type: 'user', id: alice }, 'pro_monthly');
    await subscribe({ type: 'team', id: solo }, 'team_plan');

    const plan = await previewAccountDeletion(deps.db, alice);
    expect(plan.blocker).toBeNull();
    expect(plan.teamsDeleted.map((t) => t.name)).toEqual(['Solo']);
    expect(plan.subscriptions.map((s) => s.label).sort()).toEqual(['Pro (personal)', 'Team (team Solo)']);

    await deleteAccount(deps, alice);
    expect(stripeStatuses()).toEqual(['canceled', 'canceled']);
    expect(await userExists(alice)).toBe(false);
    expect(await teamExists(solo)).toBe(false);
    expect(await listTeamsForUser(deps.db, bob)).toEqual([{ id: shared, name: 'Shared', role: 'owner' }]);
  });

  it('is refused, before Stripe is touched, while it is the only owner of a team with others', async () => {
    const teamId = (await createTeam(deps.db, alice, 'Acme')).id;
    const bob = await insertUser(deps.db, 'bob@example.com');
    await addMemberByEmail(deps.db, alice, teamId, 'bob@example.com', 'member', Date.now());
    await subscribe({ type: 'user', id: alice }, 'pro_monthly');
    expect((await previewAccountDeletion(deps.db, alice)).blocker).toBe('You are the only owner of Acme: make someone else owner first.');
    expect(await errorCode(() => deleteAccount(deps, alice))).toBe('last_owner');
    expect(stripeStatuses()).toEqual(['trialing']); // Pro's free week, untouched
    expect(await userExists(alice)).toBe(true);

    await changeMemberRole(deps.db, alice, teamId, bob, 'owner');
    await deleteAccount(deps, alice);
    expect(await teamExists(teamId)).toBe(true); // Bob's now
  });
});

describe('a checkout left open by a deleted customer', () => {
  it('paid afterwards, grants nothing: a one-time payment is refunded, a subscription cancelled', async () => {
    const alice_ = { type: 'user' as const, id: alice };
    const pack = (await createCheckoutUrl(deps, alice_, { productId: 'credit_pack' })).split('/').at(-1)!;
    const pro = (await createCheckoutUrl(deps, alice_, { productId: 'pro_monthly' })).split('/').at(-1)!;
    await deleteAccount(deps, alice);

    for (const sessionId of [pack, pro]) {
      expect(payCheckoutSession(emulatorDb, sessionId, { type: 'card', number: '4242424242424242' }, Date.now()).ok).toBe(true);
      await fulfillCheckout(deps, sessionId);
    }
    const bought = await deps.db.orm.query.purchase.findMany({ where: (p, { and, eq }) => and(eq(p.customerId, alice), eq(p.source, 'stripe')) });
    expect(bought).toEqual([]);
    expect(listObjects<{ id: string; object: string; payment_intent: string }>(emulatorDb, 'refund')).toHaveLength(1);
    expect(stripeStatuses()).toEqual(['canceled']);
  });
});

describe('deleting a team', () => {
  it('is for owners; it says what it will do, ends the subscription, and takes members, invitations and keys along', async () => {
    const teamId = (await createTeam(deps.db, alice, 'Acme')).id;
    const bob = await insertUser(deps.db, 'bob@example.com');
    await addMemberByEmail(deps.db, alice, teamId, 'bob@example.com', 'admin', Date.now());
    await createApiKey(deps.db, alice, teamId, 'CI', Date.now());
    await subscribe({ type: 'team', id: teamId }, 'team_plan');

    expect(await errorCode(() => previewTeamDeletion(deps.db, bob, teamId))).toBe('forbidden');
    expect(await errorCode(() => deleteTeam(deps, bob, teamId))).toBe('forbidden');
    const plan = await previewTeamDeletion(deps.db, alice, teamId);
    expect(plan).toMatchObject({ name: 'Acme', members: 2, apiKeys: 1, invitations: 0 });
    expect(plan.subscriptions.map((s) => s.label)).toEqual(['Team (team Acme)']);

    await deleteTeam(deps, alice, teamId);
    expect(stripeStatuses()).toEqual(['canceled']);
    expect(await teamExists(teamId)).toBe(false);
    expect(await listTeamsForUser(deps.db, bob)).toEqual([]);
  });

  it('asks the owner for the team’s name and their password (a borrowed session is not enough), guesses limited like confirmPassword', async () => {
    const auth = createAuth(deps.db, { baseURL: TEST_APP_URL, secret: 'test-secret-for-team-deletion-0000000' });
    const PASSWORD = 'correct horse battery';
    const owner = (await auth.api.signUpEmail({ body: { name: 'Owner', email: 'owner@example.com', password: PASSWORD } })).user.id;
    const response = await auth.api.signInEmail({ body: { email: 'owner@example.com', password: PASSWORD }, asResponse: true });
    const session = new Headers({
      cookie: response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
    });
    const teamId = (await createTeam(deps.db, owner, 'Paid')).id;
    await subscribe({ type: 'team', id: teamId }, 'team_plan');
    const now = Date.UTC(2026, 10, 1);
    const asked = (confirmName: string, password: string, at = now) =>
      deleteTeamConfirmed({ ...deps, auth }, session, { actorId: owner, teamId, confirmName, password }, at);

    expect(await errorCode(() => asked('Not paid', PASSWORD))).toBe('invalid_input');
    for (let i = 0; i < 5; i++) expect(await errorCode(() => asked('Paid', `guess ${i}`))).toBe('invalid_credentials');
    expect(await errorCode(() => asked('Paid', PASSWORD))).toBe('rate_limited'); // the 6th waits, even with the right one
    expect(await teamExists(teamId)).toBe(true);
    expect(stripeStatuses()).toEqual(['active']); // nothing ended

    await asked('Paid', PASSWORD, now + 5 * 60_000);
    expect(await teamExists(teamId)).toBe(false);
    expect(stripeStatuses()).toEqual(['canceled']);
  });
});
