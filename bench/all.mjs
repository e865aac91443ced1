// `npm run bench`: every benchmark (TALLY_BENCH_ROUTES=1 counts their database queries) on SQLite, then on PostgreSQL when BENCH_DATABASE_URL (or
// TEST_DATABASE_URL) names one: a role that may create databases, as for the tests.
import { spawnSync } from 'node:child_process';

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const dialects = [['sqlite', {}], ...(pgUrl ? [['postgres', { DATABASE_URL: pgUrl }]] : [])];
let failed = false;
for (const [dialect, env] of dialects) {
  for (const bench of ['bench/index.ts', 'bench/webhook.ts', 'bench/request.ts', 'bench/metered.ts', 'bench/torture.ts']) {
    console.log(`\n# ${bench} on ${dialect}`);
    const { status } = spawnSync('npx', ['tsx', bench], {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: '', TALLY_BENCH_ROUTES: '1', ...env, BENCH_SKIP_BUILD: dialect === 'sqlite' ? '' : '1' },
    });
    failed ||= status !== 0;
  }
}
if (!pgUrl) console.log('\nPostgreSQL benchmarks skipped: set BENCH_DATABASE_URL=postgres://… (a role with CREATEDB) to run them.');
process.exit(failed ? 1 : 0);
