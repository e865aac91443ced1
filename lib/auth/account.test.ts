import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb, insertUser } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { insertSubscription } from '../payments/testing';
import { deleteAccount } from './account';
import { addMemberByEmail, changeMemberRole, createTeam, listTeamsForUser } from './teams';

let db: Db;
let alice: string;

beforeEach(async () => {
  db = await createTestDb();
  alice = await insertUser(db, 'alice@example.com');
});

const exists = async (userId: string) => !!(await db.orm.query.user.findFirst({ where: (u, { eq }) => eq(u.id, userId) }));

describe('deleting an account', () => {
  it('deletes the user, its memberships and the teams it was alone in', async () => {
    const solo = (await createTeam(db, alice, 'Solo')).id;
    const bob = await insertUser(db, 'bob@example.com');
    const shared = (await createTeam(db, bob, 'Shared')).id;
    await addMemberByEmail(db, bob, shared, 'alice@example.com', 'member', Date.now());
    await deleteAccount(db, alice);
    expect(await exists(alice)).toBe(false);
    expect(await listTeamsForUser(db, bob)).toEqual([{ id: shared, name: 'Shared', role: 'owner' }]);
    expect(await db.orm.query.organization.findFirst({ where: (o, { eq }) => eq(o.id, solo) })).toBeUndefined();
  });

  it('is refused while it pays for a subscription, or is the only owner of a team with others', async () => {
    const teamId = (await createTeam(db, alice, 'Acme')).id;
    const bob = await insertUser(db, 'bob@example.com');
    await addMemberByEmail(db, alice, teamId, 'bob@example.com', 'member', Date.now());
    expect(await errorCode(() => deleteAccount(db, alice))).toBe('last_owner');
    await changeMemberRole(db, alice, teamId, bob, 'owner');
    await insertSubscription(db, { type: 'user', id: alice }, 'pro_monthly', { startedAt: Date.now(), paidThrough: Date.now() + 86_400_000 });
    expect(await errorCode(() => deleteAccount(db, alice))).toBe('invalid_input');
    expect(await exists(alice)).toBe(true);
  });
});
