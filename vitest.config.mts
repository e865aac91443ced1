import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { tsconfigPaths: true, alias: { 'server-only': new URL('./test/server-only.ts', import.meta.url).pathname } },
  test: {
    include: ['{lib,db,app}/**/*.test.{ts,tsx}', '*.test.ts'],
    // PostgreSQL-only suites (`*.pg.test.ts`: retries, outages) run when DATABASE_URL names PostgreSQL.
    exclude: ['**/node_modules/**', ...(/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? [] : ['**/*.pg.test.ts'])],
    environment: 'node',
    pool: 'forks',
    setupFiles: ['test/setup.ts'],
    // Storage suites also run on PostgreSQL and under CI load: time enough, still a bound.
    testTimeout: 20_000,
  },
});
