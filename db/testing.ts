import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { getEnv } from '../lib/env';
import { openDb, pgDb, type DatabaseTarget, type Db } from './index';
import { user } from './schema';
import { run } from './work';

const open: { db: Db; drop?: string }[] = [];

/** Test databases of runs that started longer ago than this are leftovers (an interrupted run). */
const STALE_AFTER_MS = 24 * 3_600_000;

/**
 * The run this test process belongs to: `TALLY_TEST_RUN_ID`, which test/postgres-suite.mjs sets
 * for its vitest processes so it can drop its own databases and no concurrent run's; `solo` for a
 * vitest run by hand (whose databases each test drops itself).
 */
export function testRunId(env: Record<string, string | undefined> = process.env): string {
  const id = env.TALLY_TEST_RUN_ID ?? 'solo';
  if (!/^[a-z0-9]{1,16}$/.test(id)) throw new Error(`TALLY_TEST_RUN_ID must be 1–16 lowercase letters and digits, not "${id}".`);
  return id;
}

/** `tally_t_<run>_<created, base 36 ms>_<random>`: a run's databases share a prefix, and each says when it was made. */
export function testDatabaseName(runId: string, now = Date.now()): string {
  return `tally_t_${runId}_${now.toString(36)}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/**
 * Test databases to drop, of those on the server: a run's own (`runId`), and leftovers created
 * more than a day ago by any run. Another run's recent databases are never touched: that run may
 * still be using them. Names of another shape (not this scheme's) are left alone.
 */
export function testDatabasesToDrop(names: string[], { runId, now }: { runId: string | null; now: number }): string[] {
  return names.filter((name) => {
    const match = /^tally_t_([a-z0-9]+)_([a-z0-9]+)_[a-z0-9]+$/.exec(name);
    if (!match) return false;
    return match[1] === runId || now - parseInt(match[2]!, 36) > STALE_AFTER_MS;
  });
}

/**
 * A migrated, empty database for one test, of the dialect DATABASE_URL selects: SQLite in memory,
 * or on PostgreSQL a database of its own, copied from a migrated template (fast, and isolated from
 * every other test and test file). `closeTestDbs` (after each test, test/setup.ts) drops them.
 */
export async function createTestDb(): Promise<Db> {
  return (await createTestDatabase(':memory:')).db;
}

/**
 * A test database other processes can open too (the race test): a SQLite file in `dir`, or on
 * PostgreSQL a database of its own. `target` is what `openDb` takes in those processes.
 */
export function createSharedTestDb(dir: string): Promise<{ db: Db; target: DatabaseTarget }> {
  return createTestDatabase(path.join(dir, `${randomUUID()}.db`));
}

async function createTestDatabase(sqliteFile: string): Promise<{ db: Db; target: DatabaseTarget }> {
  const { database } = getEnv();
  if (database.dialect === 'sqlite') {
    const target = { dialect: 'sqlite' as const, file: sqliteFile };
    const db = openDb(target);
    await db.migrate();
    open.push({ db });
    return { db, target };
  }
  const name = await copyTemplate(database.url);
  const target = { dialect: 'postgres' as const, url: withDatabase(database.url, name) };
  const db = pgDb(target.url, { max: 4 });
  open.push({ db, drop: name });
  return { db, target };
}

export async function closeTestDbs(): Promise<void> {
  const { database } = getEnv();
  for (const { db, drop } of open.splice(0)) {
    await db.close();
    if (drop && database.dialect === 'postgres') await dropTestDatabase(database.url, drop);
  }
}

/**
 * Autovacuum may still be visiting a fresh database, and only a superuser may end it: a database
 * that will not drop now is left to test/postgres-suite.mjs (its run's, at its end) or, a day
 * later, to any test process (`testDatabasesToDrop`).
 */
async function dropTestDatabase(url: string, name: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const dropped = await admin(url, (client) => client.query(`drop database if exists "${name}"`)).then(
      () => true,
      () => false,
    );
    if (dropped) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let staleDropped = false;

/**
 * One template per set of migrations (their text, so a migration edited before it is committed
 * gets a template of its own), created once by whichever test process gets there first.
 */
async function copyTemplate(url: string): Promise<string> {
  const folder = path.join(process.cwd(), 'db', 'migrations-pg');
  const hash = createHash('sha256');
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort())
    hash.update(readFileSync(path.join(folder, file)));
  const template = `tally_tpl_${hash.digest('hex').slice(0, 12)}`;
  const name = testDatabaseName(testRunId());
  await admin(url, async (client) => {
    await client.query('select pg_advisory_lock(hashtext($1))', ['tally:test-template']);
    try {
      if (!staleDropped) {
        // Leftovers of interrupted runs, once per test process (never a recent database of another run).
        staleDropped = true;
        const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'tally\\_t\\_%'");
        const stale = testDatabasesToDrop(
          rows.map((row) => row.datname),
          { runId: null, now: Date.now() },
        );
        for (const old of stale) await client.query(`drop database if exists "${old}"`).catch(() => undefined);
      }
      const exists = await client.query('select 1 from pg_database where datname = $1', [template]);
      if (exists.rowCount === 0) {
        await client.query(`create database "${template}"`);
        const db = pgDb(withDatabase(url, template), { max: 1 });
        await db.migrate();
        await db.close();
      }
      await client.query(`create database "${name}" template "${template}"`);
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', ['tally:test-template']);
    }
  });
  return name;
}

export async function insertUser(db: Db, email = `${randomUUID()}@example.com`, id: string = randomUUID()): Promise<string> {
  await db.write((tx) => run(tx.insert(user).values({ id, name: email.split('@')[0] ?? email, email, createdAt: new Date(), updatedAt: new Date() })));
  return id;
}
