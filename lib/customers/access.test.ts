import { describe, expect, it } from 'vitest';
import { insertUser } from '../../db/testing';
import { addMemberByEmail } from '../auth/teams';
import { setup } from '../payments/testing';
import { authorizeCustomer, canAccessCustomer, type CustomerAction } from './access';
import { errorCode } from '../../test/error-code';

const actions: CustomerAction[] = ['read', 'spend', 'buy', 'manage'];

describe('customer access', () => {
  it('lets a user act only for itself', () => {
    const { db, user } = setup();
    const other = insertUser(db);
    for (const action of actions) {
      expect(errorCode(() => authorizeCustomer(db, user.id, user, action))).toBe('ok');
      expect(errorCode(() => authorizeCustomer(db, other, user, action))).toBe('not_found');
    }
  });

  it('lets members read and spend, owners and admins buy and manage, and hides the team from others', () => {
    const { db, user: owner, team } = setup();
    const member = insertUser(db, 'member@example.com');
    const admin = insertUser(db, 'admin@example.com');
    const stranger = insertUser(db);
    addMemberByEmail(db, owner.id, team.id, 'member@example.com', 'member');
    addMemberByEmail(db, owner.id, team.id, 'admin@example.com', 'admin');
    const table = (userId: string) => actions.map((action) => errorCode(() => authorizeCustomer(db, userId, team, action)));
    expect(table(owner.id)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(table(admin)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(table(member)).toEqual(['ok', 'ok', 'forbidden', 'forbidden']);
    expect(table(stranger)).toEqual(['team_not_found', 'team_not_found', 'team_not_found', 'team_not_found']);
    expect([canAccessCustomer(db, member, team, 'read'), canAccessCustomer(db, member, team, 'buy'), canAccessCustomer(db, stranger, team, 'read')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
