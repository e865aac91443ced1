import { eq } from 'drizzle-orm';
import { createAuth } from '../lib/auth/auth';
import { DEMO_PASSWORD, demoUsers } from '../lib/auth/demo-accounts';
import { addMemberByEmail, createTeam, listTeamsForUser } from '../lib/auth/teams';
import { getEnv } from '../lib/env';
import { openDb, type Db } from './index';
import { user } from './schema';
import { get } from './work';

/** Idempotent: running it again finds what is there and adds only what is missing. */
export async function seedDemo(db: Db, env = getEnv()): Promise<void> {
  if (!env.demoAllowed)
    throw new Error(`Refusing to seed demo users with a published password into ${env.appUrl}: it is not local (set TALLY_DEMO=1 for a public demo).`);
  const auth = createAuth(db, { baseURL: env.appUrl, secret: env.authSecret });
  const ids: string[] = [];
  for (const demo of demoUsers) {
    const existing = await db.read((tx) => get(tx.select({ id: user.id }).from(user).where(eq(user.email, demo.email))));
    if (existing) {
      ids.push(existing.id);
      continue;
    }
    const created = await auth.api.signUpEmail({ body: { name: demo.name, email: demo.email, password: DEMO_PASSWORD } });
    ids.push(created.user.id);
  }
  const [aliceId] = ids as [string, string];
  if (!(await listTeamsForUser(db, aliceId)).some((team) => team.name === 'Acme')) {
    const acme = await createTeam(db, aliceId, 'Acme');
    await addMemberByEmail(db, aliceId, acme.id, 'bob@example.com', 'member', Date.now());
  }
}

async function main() {
  const { database } = getEnv();
  const db = openDb(database);
  await db.migrate();
  await seedDemo(db);
  await db.close();
  console.log(
    `Seeded ${database.dialect === 'postgres' ? 'the PostgreSQL database' : database.file}: alice@example.com and bob@example.com, password "${DEMO_PASSWORD}"`,
  );
}

if (process.argv[1]?.endsWith('seed.ts')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
