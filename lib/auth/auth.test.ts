import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../db/testing';
import { organization, purchase } from '../../db/schema';
import { get, run } from '../../db/work';
import { insertSubscription } from '../payments/testing';
import { createAuth } from './auth';
import { createTeam } from './teams';

describe('the auth library under the app’s rules', () => {
  it('refuses to delete a team whose paid subscription is live, by any caller of the library', async () => {
    const db = await createTestDb();
    const auth = createAuth(db, { baseURL: 'http://localhost:3000', secret: 'test-secret-for-team-deletion-00000000' });
    const body = { name: 'Owner', email: 'owner@example.com', password: 'correct horse battery' };
    const { user } = await auth.api.signUpEmail({ body });
    const signedIn = await auth.api.signInEmail({ body, returnHeaders: true });
    const headers = new Headers({ cookie: signedIn.headers.get('set-cookie')!.split(';')[0]! });
    const team = await createTeam(db, user.id, 'Acme');
    const now = Date.now();
    const sub = await insertSubscription(db, { type: 'team', id: team.id }, 'team_plan', { startedAt: now, paidThrough: now });

    await expect(auth.api.deleteOrganization({ body: { organizationId: team.id }, headers })).rejects.toThrow(
      'Cancel the team’s subscription before deleting the team.',
    );
    expect(await db.read((tx) => get(tx.select().from(organization).where(eq(organization.id, team.id))))).toBeDefined();

    await db.write((tx) => run(tx.update(purchase).set({ status: 'ended', endedAt: now }).where(eq(purchase.id, sub.id))));
    await auth.api.deleteOrganization({ body: { organizationId: team.id }, headers });
    expect(await db.read((tx) => get(tx.select().from(organization).where(eq(organization.id, team.id))))).toBeUndefined();
  });
});
