import { describe, expect, it } from 'vitest';
import { createTestDb, insertUser } from '../../db/testing';
import { addMemberByEmail, createTeam, removeMember } from '../auth/teams';
import { customerCookieOptions, customerKey, resolveSelectedCustomer } from './selection';

describe('selected customer', () => {
  it('is the chosen team while the user belongs to it, and the personal account otherwise', async () => {
    const db = await createTestDb();
    const alice = await insertUser(db, 'alice@example.com');
    const bob = await insertUser(db, 'bob@example.com');
    const team = await createTeam(db, alice, 'Acme');
    await addMemberByEmail(db, alice, team.id, 'bob@example.com', 'member', Date.now());
    const key = customerKey({ type: 'team', id: team.id });

    expect((await resolveSelectedCustomer(db, bob, key)).selected).toEqual({ type: 'team', id: team.id, displayName: 'Acme', role: 'member' });
    expect((await resolveSelectedCustomer(db, bob, undefined)).selected).toEqual({ type: 'user', id: bob, displayName: 'Personal' });

    await removeMember(db, alice, team.id, bob);
    expect((await resolveSelectedCustomer(db, bob, key)).selected.type).toBe('user');
    expect((await resolveSelectedCustomer(db, bob, 'team:made-up')).selected.type).toBe('user');
  });

  it('is stored in an http-only cookie that is Secure whenever the app is served over https', async () => {
    expect(customerCookieOptions('https://tally.example.com')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'lax' });
    expect(customerCookieOptions('http://localhost:3000')).toMatchObject({ httpOnly: true, secure: false });
  });
});
