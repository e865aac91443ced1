import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { organization } from 'better-auth/plugins';
import type { Db } from '../../db';
import * as schema from '../../db/schema';

export type AuthOptions = { baseURL: string; secret: string; plugins?: BetterAuthPlugin[] };

/**
 * Users, passwords and sessions belong to better-auth. Teams use its organization plugin's tables;
 * the team rules themselves (who may manage whom, the last owner) live in ./teams.ts.
 */
export function createAuth(db: Db, { baseURL, secret, plugins = [] }: AuthOptions) {
  return betterAuth({
    baseURL,
    secret,
    database: drizzleAdapter(db, { provider: 'sqlite', schema }),
    emailAndPassword: { enabled: true, minPasswordLength: 8 },
    plugins: [organization(), ...plugins],
  });
}

export type Auth = ReturnType<typeof createAuth>;
