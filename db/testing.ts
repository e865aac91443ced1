import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { getEnv } from '../lib/env';
import { openDb, pgDb, type DatabaseTarget, type Db } from './index';
import { user } from './schema';
import { run } from './work';

const open: { db: Db; drop?: string }[] = [];

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
 * that will not drop now is left for the next run (test/postgres-suite.mjs drops leftovers).
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

/** One template per set of migrations, created once by whichever test process gets there first. */
async function copyTemplate(url: string): Promise<string> {
  const journal = readFileSync(path.join(process.cwd(), 'db', 'migrations-pg', 'meta', '_journal.json'));
  const template = `tally_tpl_${createHash('sha256').update(journal).digest('hex').slice(0, 12)}`;
  const name = `tally_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin(url, async (client) => {
    await client.query('select pg_advisory_lock(hashtext($1))', ['tally:test-template']);
    try {
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
