import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// SQLite by default; E2E_DATABASE_URL=postgres://…/tally_e2e runs the same journeys on PostgreSQL.
const databaseUrl = process.env.E2E_DATABASE_URL ?? 'data/e2e.db';

// Debian's Chromium where it exists (CI, this machine); Playwright's own browser on a laptop.
const debianChromium = '/usr/bin/chromium';
const launchOptions = existsSync(debianChromium)
  ? {
      executablePath: debianChromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }
  : {};

export default defineConfig({
  testDir: 'e2e',
  testIgnore: 'instances.spec.ts', // playwright.instances.config.ts runs it
  fullyParallel: false,
  // Journeys use fresh accounts and their own test clocks: files run side by side (2 cores here).
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The HTML report keeps what journeys attach (the pages' screenshots at both widths).
  reporter: [['list'], ['html', { open: 'never' }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions,
  },
  webServer: {
    // E2E_REUSE_BUILD=1: the build of a run just before, of the same code (.ci/run's second pass, on
    // PostgreSQL): a build reads no database and no environment it would differ by.
    command: `npx tsx e2e/reset-database.ts && npm run db:migrate && npm run db:seed && ${process.env.E2E_REUSE_BUILD ? '' : 'npm run build && '}npx next start -p ${port}`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'pipe',
    env: {
      DATABASE_URL: databaseUrl,
      STRIPE_EMULATOR_DATABASE: 'data/e2e-stripe-emulator.db',
      // Renewals are collected, and bank debits settle, this long after they are due: long enough
      // for a journey to see the gap, short enough to wait out.
      STRIPE_EMULATOR_COLLECTION_DELAY_MS: '3000',
      APP_URL: baseURL,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
