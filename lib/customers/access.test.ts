import { describe, expect, it } from 'vitest';
import { insertUser } from '../../db/testing';
import { addMemberByEmail } from '../auth/teams';
import { setup } from '../payments/testing';
import { authorizeCustomer, canAccessCustomer, type CustomerAction } from './access';
import { errorCode } from '../../test/error-code';

const actions: CustomerAction[] = ['read', 'spend', 'buy', 'manage'];

describe('customer access', () => {
  it('lets a user act only for itself', async () => {
    const { db, user } = await setup();
    const other = await insertUser(db);
    for (const action of actions) {
      expect(await errorCode(() => authorizeCustomer(db, user.id, user, action))).toBe('ok');
      expect(await errorCode(() => authorizeCustomer(db, other, user, action))).toBe('not_found');
    }
  });

  it('lets members read and spend, owners and admins buy and manage, and hides the team from others', async () => {
    const { db, user: owner, team } = await setup();
    const member = await insertUser(db, 'member@example.com');
    const admin = await insertUser(db, 'admin@example.com');
    const stranger = await insertUser(db);
    await addMemberByEmail(db, owner.id, team.id, 'member@example.com', 'member', Date.now());
    await addMemberByEmail(db, owner.id, team.id, 'admin@example.com', 'admin', Date.now());
    const table = (userId: string) => Promise.all(actions.map((action) => errorCode(() => authorizeCustomer(db, userId, team, action))));
    expect(await table(owner.id)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await table(admin)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await table(member)).toEqual(['ok', 'ok', 'forbidden', 'forbidden']);
    expect(await table(stranger)).toEqual(['team_not_found', 'team_not_found', 'team_not_found', 'team_not_found']);
    expect([
      await canAccessCustomer(db, member, team, 'read'),
      await canAccessCustomer(db, member, team, 'buy'),
      await canAccessCustomer(db, stranger, team, 'read'),
    ]).toEqual([true, false, false]);
  });
});
