// Empties the e2e database before the suite's server starts: the SQLite files, or on PostgreSQL
// every table (only a database whose name contains "e2e", so it can never empty a real one).
import { rmSync } from 'node:fs';
import pg from 'pg';
import { getEnv } from '../lib/env';

async function main() {
  const { database, stripe } = getEnv();
  if (stripe.emulator) for (const suffix of ['', '-wal', '-shm']) rmSync(`${stripe.databaseFile}${suffix}`, { force: true });
  if (database.dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database.file}${suffix}`, { force: true });
    return;
  }
  if (!new URL(database.url).pathname.includes('e2e')) throw new Error(`Refusing to empty ${new URL(database.url).pathname}: not an e2e database`);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;');
  await client.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
