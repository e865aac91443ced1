import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, insertUser } from '../../db/testing';
import type { Db } from '../../db';
import { addMemberByEmail, changeMemberRole, createTeam, getTeamForMember, leaveTeam, listTeamsForUser, removeMember } from './teams';
import { errorCode } from '../../test/error-code';

let db: Db;
let alice: string;
let bob: string;
let carol: string;
let teamId: string;

beforeEach(() => {
  db = createTestDb();
  alice = insertUser(db, 'alice@example.com');
  bob = insertUser(db, 'bob@example.com');
  carol = insertUser(db, 'carol@example.com');
  teamId = createTeam(db, alice, 'Acme').id;
  addMemberByEmail(db, alice, teamId, 'bob@example.com', 'member');
});

describe('teams', () => {
  it('makes the creator the owner and lists teams per member', () => {
    expect(listTeamsForUser(db, alice)).toEqual([{ id: teamId, name: 'Acme', role: 'owner' }]);
    expect(listTeamsForUser(db, bob)).toEqual([{ id: teamId, name: 'Acme', role: 'member' }]);
    expect(listTeamsForUser(db, carol)).toEqual([]);
  });

  it('hides a team from non-members as not found, also for made-up ids', () => {
    expect(errorCode(() => getTeamForMember(db, teamId, carol))).toBe('team_not_found');
    expect(errorCode(() => getTeamForMember(db, 'no-such-team', carol))).toBe('team_not_found');
    expect(errorCode(() => addMemberByEmail(db, carol, teamId, 'carol@example.com', 'owner'))).toBe('team_not_found');
    expect(getTeamForMember(db, teamId, bob).members.map((m) => m.email)).toEqual(['alice@example.com', 'bob@example.com']);
  });

  it('adds members by email, case-insensitively, and refuses unknown emails and duplicates', () => {
    expect(errorCode(() => addMemberByEmail(db, alice, teamId, 'nobody@example.com', 'member'))).toBe('user_not_found');
    expect(errorCode(() => addMemberByEmail(db, alice, teamId, 'BOB@example.com', 'member'))).toBe('already_member');
    addMemberByEmail(db, alice, teamId, 'Carol@Example.com', 'admin');
    expect(listTeamsForUser(db, carol)[0]?.role).toBe('admin');
  });

  it('lets only owners and admins manage members', () => {
    expect(errorCode(() => changeMemberRole(db, bob, teamId, bob, 'admin'))).toBe('forbidden');
    expect(errorCode(() => addMemberByEmail(db, bob, teamId, 'carol@example.com', 'member'))).toBe('forbidden');
    expect(errorCode(() => removeMember(db, bob, teamId, alice))).toBe('forbidden');
    expect(getTeamForMember(db, teamId, alice).members.find((m) => m.userId === bob)?.role).toBe('member');
  });

  it('lets an admin manage members but not owners', () => {
    changeMemberRole(db, alice, teamId, bob, 'admin');
    addMemberByEmail(db, bob, teamId, 'carol@example.com', 'member');
    changeMemberRole(db, bob, teamId, carol, 'admin');
    expect(errorCode(() => changeMemberRole(db, bob, teamId, carol, 'owner'))).toBe('forbidden');
    expect(errorCode(() => changeMemberRole(db, bob, teamId, alice, 'member'))).toBe('forbidden');
    expect(errorCode(() => removeMember(db, bob, teamId, alice))).toBe('forbidden');
    removeMember(db, bob, teamId, carol);
    expect(listTeamsForUser(db, carol)).toEqual([]);
  });

  it('never leaves a team without an owner', () => {
    expect(errorCode(() => leaveTeam(db, alice, teamId))).toBe('last_owner');
    expect(errorCode(() => changeMemberRole(db, alice, teamId, alice, 'admin'))).toBe('last_owner');
    changeMemberRole(db, alice, teamId, bob, 'owner');
    changeMemberRole(db, alice, teamId, alice, 'admin');
    expect(errorCode(() => changeMemberRole(db, bob, teamId, bob, 'member'))).toBe('last_owner');
    leaveTeam(db, alice, teamId);
    expect(listTeamsForUser(db, alice)).toEqual([]);
    expect(listTeamsForUser(db, bob)[0]?.role).toBe('owner');
  });

  it('lets a member leave', () => {
    leaveTeam(db, bob, teamId);
    expect(listTeamsForUser(db, bob)).toEqual([]);
    expect(errorCode(() => leaveTeam(db, bob, teamId))).toBe('team_not_found');
  });
});
