// `npm run test:unit:pg`: the storage-facing suites (lib/ and the schema comparison) again on
// PostgreSQL, when TEST_DATABASE_URL names one (a role that may create databases: each test gets
// its own, copied from a migrated template). Without it, one line says how to run them.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.TEST_DATABASE_URL;
if (!url) {
  console.log(
    'PostgreSQL suite skipped: set TEST_DATABASE_URL=postgres://user:password@host:5432/db (a role with CREATEDB) to run it; see README "Run on PostgreSQL".',
  );
  process.exit(0);
}

// Test databases an interrupted run left behind, or that autovacuum kept from being dropped.
async function dropLeftovers() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query("select datname from pg_database where datname like 'tally\\_t\\_%'");
  for (const { datname } of rows) await client.query(`drop database if exists "${datname}"`).catch(() => undefined);
  await client.end();
}

await dropLeftovers();
// With the retry drill on: a share of write transactions fails on purpose (40001/40P01) at a random
// statement, so every suite also proves that each write is retried whole.
const result = spawnSync('npx', ['vitest', 'run', 'lib', 'db/schema.test.ts', 'db/migrations.test.ts', 'db/postgres.pg.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url, TALLY_TEST_TRANSACTION_FAILURES: process.env.TALLY_TEST_TRANSACTION_FAILURES ?? '0.1' },
});
await dropLeftovers();
process.exit(result.status ?? 1);
