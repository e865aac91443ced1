import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, insertUser } from '../../db/testing';
import type { Db } from '../../db';
import { decreaseQuantity, increaseQuantity } from '../payments/items';
import {
  addMemberByEmail,
  changeMemberRole,
  createTeam,
  createTeamForUser,
  describeSeats,
  getSeats,
  getTeamForMember,
  leaveTeam,
  listTeamsForUser,
  removeMember,
} from './teams';
import { errorCode } from '../../test/error-code';

let db: Db;
let alice: string;
let bob: string;
let carol: string;
let teamId: string;

beforeEach(async () => {
  db = await createTestDb();
  alice = await insertUser(db, 'alice@example.com');
  bob = await insertUser(db, 'bob@example.com');
  carol = await insertUser(db, 'carol@example.com');
  teamId = (await createTeam(db, alice, 'Acme')).id;
  await addMemberByEmail(db, alice, teamId, 'bob@example.com', 'member', Date.now());
});

describe('teams', () => {
  it('makes the creator the owner and lists teams per member', async () => {
    expect(await listTeamsForUser(db, alice)).toEqual([{ id: teamId, name: 'Acme', role: 'owner' }]);
    expect(await listTeamsForUser(db, bob)).toEqual([{ id: teamId, name: 'Acme', role: 'member' }]);
    expect(await listTeamsForUser(db, carol)).toEqual([]);
  });

  it('hides a team from non-members as not found, also for made-up ids', async () => {
    expect(await errorCode(() => getTeamForMember(db, teamId, carol))).toBe('team_not_found');
    expect(await errorCode(() => getTeamForMember(db, 'no-such-team', carol))).toBe('team_not_found');
    expect(await errorCode(() => addMemberByEmail(db, carol, teamId, 'carol@example.com', 'owner', Date.now()))).toBe('team_not_found');
    expect((await getTeamForMember(db, teamId, bob)).members.map((m) => m.email)).toEqual(['alice@example.com', 'bob@example.com']);
  });

  it('adds members by email, case-insensitively, and refuses unknown emails and duplicates', async () => {
    expect(await errorCode(() => addMemberByEmail(db, alice, teamId, 'nobody@example.com', 'member', Date.now()))).toBe('user_not_found');
    expect(await errorCode(() => addMemberByEmail(db, alice, teamId, 'BOB@example.com', 'member', Date.now()))).toBe('already_member');
    await addMemberByEmail(db, alice, teamId, 'Carol@Example.com', 'admin', Date.now());
    expect((await listTeamsForUser(db, carol))[0]?.role).toBe('admin');
  });

  it('lets only owners and admins manage members', async () => {
    expect(await errorCode(() => changeMemberRole(db, bob, teamId, bob, 'admin'))).toBe('forbidden');
    expect(await errorCode(() => addMemberByEmail(db, bob, teamId, 'carol@example.com', 'member', Date.now()))).toBe('forbidden');
    expect(await errorCode(() => removeMember(db, bob, teamId, alice))).toBe('forbidden');
    expect((await getTeamForMember(db, teamId, alice)).members.find((m) => m.userId === bob)?.role).toBe('member');
  });

  it('lets an admin manage members but not owners', async () => {
    await changeMemberRole(db, alice, teamId, bob, 'admin');
    await addMemberByEmail(db, bob, teamId, 'carol@example.com', 'member', Date.now());
    await changeMemberRole(db, bob, teamId, carol, 'admin');
    expect(await errorCode(() => changeMemberRole(db, bob, teamId, carol, 'owner'))).toBe('forbidden');
    expect(await errorCode(() => changeMemberRole(db, bob, teamId, alice, 'member'))).toBe('forbidden');
    expect(await errorCode(() => removeMember(db, bob, teamId, alice))).toBe('forbidden');
    await removeMember(db, bob, teamId, carol);
    expect(await listTeamsForUser(db, carol)).toEqual([]);
  });

  it('never leaves a team without an owner', async () => {
    expect(await errorCode(() => leaveTeam(db, alice, teamId))).toBe('last_owner');
    expect(await errorCode(() => changeMemberRole(db, alice, teamId, alice, 'admin'))).toBe('last_owner');
    await changeMemberRole(db, alice, teamId, bob, 'owner');
    await changeMemberRole(db, alice, teamId, alice, 'admin');
    expect(await errorCode(() => changeMemberRole(db, bob, teamId, bob, 'member'))).toBe('last_owner');
    await leaveTeam(db, alice, teamId);
    expect(await listTeamsForUser(db, alice)).toEqual([]);
    expect((await listTeamsForUser(db, bob))[0]?.role).toBe('owner');
  });

  it('lets a member leave', async () => {
    await leaveTeam(db, bob, teamId);
    expect(await listTeamsForUser(db, bob)).toEqual([]);
    expect(await errorCode(() => leaveTeam(db, bob, teamId))).toBe('team_not_found');
  });
});

describe('seats', () => {
  const seats = () => ({ customer: { type: 'team' as const, id: teamId }, itemId: 'seats' });

  it('cap members: a team without the Team plan has 3, every member takes one, the owner too', async () => {
    expect(await getSeats(db, teamId, Date.now())).toEqual({ seats: 3, members: 2, invited: 0, used: 2 });
    await addMemberByEmail(db, alice, teamId, 'carol@example.com', 'member', Date.now());
    const dave = await insertUser(db, 'dave@example.com');
    expect(await errorCode(() => addMemberByEmail(db, alice, teamId, 'dave@example.com', 'member', Date.now()))).toBe('no_free_seat');
    await increaseQuantity(db, seats(), 1, Date.now()); // one more seat
    await addMemberByEmail(db, alice, teamId, 'dave@example.com', 'member', Date.now());
    expect((await listTeamsForUser(db, dave)).map((t) => t.id)).toEqual([teamId]);
  });

  it('when seats drop below the members, nobody is removed and nobody can join', async () => {
    await addMemberByEmail(db, alice, teamId, 'carol@example.com', 'member', Date.now());
    await decreaseQuantity(db, seats(), 2, Date.now());
    expect(await getSeats(db, teamId, Date.now())).toEqual({ seats: 1, members: 3, invited: 0, used: 3 });
    await insertUser(db, 'dave@example.com');
    expect(await errorCode(() => addMemberByEmail(db, alice, teamId, 'dave@example.com', 'member', Date.now()))).toBe('no_free_seat');
    expect((await getTeamForMember(db, teamId, alice)).members).toHaveLength(3);
  });

  it('two adds at once for the last seat: exactly one wins', async () => {
    await insertUser(db, 'dave@example.com');
    const results = await Promise.allSettled([
      addMemberByEmail(db, alice, teamId, 'carol@example.com', 'member', Date.now()),
      addMemberByEmail(db, alice, teamId, 'dave@example.com', 'member', Date.now()),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'no_free_seat' });
    expect(await getSeats(db, teamId, Date.now())).toEqual({ seats: 3, members: 3, invited: 0, used: 3 });
  });
});

describe('creating teams', () => {
  it('from the teams page: 5 per account, then spaced out; 20 per client address across accounts', async () => {
    const now = Date.UTC(2026, 10, 1);
    const create = (ownerId: string, clientAddress: string | null) =>
      errorCode(() => createTeamForUser(db, { ownerId, name: 'Verify now', clientAddress }, now));
    expect((await Promise.all(Array.from({ length: 6 }, () => create(carol, null)))).sort()).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited']); // at once, too
    expect(await listTeamsForUser(db, carol)).toHaveLength(5);
    expect(await createTeamForUser(db, { ownerId: carol, name: 'Later', clientAddress: null }, now + 1000)).toMatchObject({ name: 'Later', role: 'owner' });

    const accounts = await Promise.all(Array.from({ length: 5 }, (_, i) => insertUser(db, `device${i}@example.com`)));
    const fromOneAddress = [];
    for (const account of accounts) for (let i = 0; i < 4; i++) fromOneAddress.push(await create(account, '203.0.113.7'));
    expect(fromOneAddress.every((code) => code === 'ok')).toBe(true); // 20
    const sixth = await insertUser(db, 'device5@example.com');
    expect(await create(sixth, '203.0.113.7')).toBe('rate_limited');
    expect(await create(sixth, '198.51.100.1')).toBe('ok');
  });
});

describe('seats, shown', () => {
  it('in one wording wherever they appear: members and pending invitations both take one', () => {
    expect(describeSeats({ seats: 7, members: 2, used: 4 })).toBe('4 of 7 seats used (2 held by invitations)');
    expect(describeSeats({ seats: 3, members: 3, used: 3 })).toBe('3 of 3 seats used');
  });
});
