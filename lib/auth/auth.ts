import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { organization } from 'better-auth/plugins';
import { hasLiveSubscription } from '../payments/purchase-rows';
import type { Db } from '../../db';
import { tables } from '../../db/schema';

export type AuthOptions = { baseURL: string; secret: string; plugins?: BetterAuthPlugin[] };

/**
 * Users, passwords and sessions belong to better-auth. Teams use its organization plugin's tables;
 * the team rules themselves (who may manage whom, the last owner) live in ./teams.ts.
 */
export function createAuth(db: Db, { baseURL, secret, plugins = [] }: AuthOptions) {
  return betterAuth({
    baseURL,
    secret,
    database: drizzleAdapter(db.orm, { provider: db.dialect === 'postgres' ? 'pg' : 'sqlite', schema: tables }),
    emailAndPassword: { enabled: true, minPasswordLength: 8 },
    plugins: [
      organization({
        organizationHooks: {
          // No HTTP route reaches this today; the rule holds for any future caller of the library.
          beforeDeleteOrganization: async ({ organization: team }) => {
            if (await db.read((tx) => hasLiveSubscription(tx, { type: 'team', id: team.id }))) {
              throw new APIError('CONFLICT', { message: 'Cancel the team’s subscription before deleting the team.' });
            }
          },
        },
      }),
      ...plugins,
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
