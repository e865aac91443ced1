import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['{lib,db,app}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
  },
});
