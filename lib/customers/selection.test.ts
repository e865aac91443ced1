import { describe, expect, it } from 'vitest';
import { createTestDb, insertUser } from '../../db/testing';
import { addMemberByEmail, createTeam, removeMember } from '../auth/teams';
import { customerKey, resolveSelectedCustomer } from './selection';

describe('selected customer', () => {
  it('is the chosen team while the user belongs to it, and the personal account otherwise', () => {
    const db = createTestDb();
    const alice = insertUser(db, 'alice@example.com');
    const bob = insertUser(db, 'bob@example.com');
    const team = createTeam(db, alice, 'Acme');
    addMemberByEmail(db, alice, team.id, 'bob@example.com', 'member');
    const key = customerKey({ type: 'team', id: team.id });

    expect(resolveSelectedCustomer(db, bob, key).selected).toEqual({ type: 'team', id: team.id, displayName: 'Acme', role: 'member' });
    expect(resolveSelectedCustomer(db, bob, undefined).selected).toEqual({ type: 'user', id: bob, displayName: 'Personal' });

    removeMember(db, alice, team.id, bob);
    expect(resolveSelectedCustomer(db, bob, key).selected.type).toBe('user');
    expect(resolveSelectedCustomer(db, bob, 'team:made-up').selected.type).toBe('user');
  });
});
