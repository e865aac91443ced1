import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Two app instances on one PostgreSQL database (e2e/instances.spec.ts): it starts its own servers
// from the suite's build, so run `npm run build` (or the e2e suite) first. Needs E2E_DATABASE_URL.
export default defineConfig({
  ...base,
  testMatch: 'instances.spec.ts',
  testIgnore: [],
  webServer: undefined,
  use: { ...base.use, baseURL: 'http://localhost:3180' }, // instance A (e2e/instances.spec.ts)
  timeout: 120_000,
});
