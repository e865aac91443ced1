// `npm run test:unit:pg`: the storage-facing suites (lib/ and the schema comparison) again on
// PostgreSQL, when TEST_DATABASE_URL names one (a role that may create databases: each test gets
// its own, copied from a migrated template). Without it, one line says how to run them.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const url = process.env.TEST_DATABASE_URL;
if (!url) {
  console.log(
    'PostgreSQL suite skipped: set TEST_DATABASE_URL=postgres://user:password@host:5432/db (a role with CREATEDB) to run it; see README "Run on PostgreSQL".',
  );
  process.exit(0);
}

// This run's id: db/testing.ts puts it in the name of every test database this run creates
// (tally_t_<run>_…), so the run drops its own and never those of a run going on beside it (another
// checkout, CI). Leftovers of interrupted runs are dropped a day later by any test process.
const runId = randomBytes(6).toString('hex');

// This run's test databases that autovacuum kept from being dropped when their test ended.
async function dropOwnLeftovers() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query('select datname from pg_database where datname like $1', [`tally\\_t\\_${runId}\\_%`]);
  for (const { datname } of rows) await client.query(`drop database if exists "${datname}"`).catch(() => undefined);
  await client.end();
}

// With the retry drill on: a share of write transactions fails on purpose (40001/40P01) at a random
// statement, so every suite also proves that each write is retried whole.
const result = spawnSync('npx', ['vitest', 'run', 'lib', 'db/schema.test.ts', 'db/migrations.test.ts', 'db/postgres.pg.test.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    DATABASE_URL: url,
    TALLY_TEST_RUN_ID: runId,
    TALLY_TEST_TRANSACTION_FAILURES: process.env.TALLY_TEST_TRANSACTION_FAILURES ?? '0.1',
  },
});
await dropOwnLeftovers();
process.exit(result.status ?? 1);
