import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import Stripe from 'stripe';
import { payCheckoutSession } from '../lib/stripe/emulator/checkout';
import { openEmulatorDb } from '../lib/stripe/emulator/db';
import { emulatorDelivery } from '../lib/stripe/emulator/schema';
import { getSession } from '../lib/stripe/emulator/objects';
import { listObjects, ownerOfCustomer, setClockOffset } from '../lib/stripe/emulator/store';
import { expect, newAccount, signUp, test } from './fixtures';
import { startServer } from './server';

/**
 * Two app instances (two `next start`), one PostgreSQL database, one Stripe emulator process: what
 * a deployment behind a load balancer is. Run by playwright.instances.config.ts against the
 * suite's build, with E2E_DATABASE_URL naming PostgreSQL.
 */
const A = 3180;
const B = 3181;
const EMULATOR_PORT = 3189;
const emulatorFile = 'data/e2e-instances-stripe-emulator.db';
const shared = {
  APP_URL: `http://localhost:${A}`,
  STRIPE_EMULATOR: 'external',
  STRIPE_EMULATOR_PORT: String(EMULATOR_PORT),
  STRIPE_EMULATOR_DATABASE: emulatorFile,
};

let emulator: ChildProcess;
let instances: ReturnType<typeof startServer>[];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const run = (script: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('npx', ['tsx', script], { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, ...shared }, stdio: 'inherit' });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}`))));
    });
  await run('e2e/reset-database.ts');
  await run('db/migrate.ts');
  emulator = spawn(process.execPath, ['--import', 'tsx', 'lib/stripe/emulator/main.ts'], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, ...shared },
    stdio: 'inherit',
  });
  const emulatorUp = async () => {
    for (let i = 0; i < 100 && emulator.exitCode === null; i++) {
      if (
        await fetch(`http://127.0.0.1:${EMULATOR_PORT}/v1/customers`).then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the Stripe emulator process did not start');
  };
  await emulatorUp();
  instances = [startServer(A, shared), startServer(B, shared)];
  await Promise.all(instances.map((instance) => instance.ready()));
});

test.afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  emulator.kill('SIGTERM');
});

/** Spends 1 credit at a time on this page until refused; resolves with how many it got. */
async function spendUntilRefused(page: Page): Promise<number> {
  // What the server answered to each spend, read off the action's response (the page's other
  // action calls, the SDK refreshing items, answer something else).
  const outcomes: ('spent' | 'refused')[] = [];
  await page.route('**/dashboard', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes('insufficient_quantity')) outcomes.push('refused');
    else if (body.includes('"spent":1')) outcomes.push('spent');
    await route.fulfill({ response, body });
  });
  const card = page.getByTestId('item-credits');
  const button = card.getByRole('button', { name: 'Use credits' });
  await card.getByLabel('Amount').fill('1');
  while (outcomes.at(-1) !== 'refused') {
    const before = outcomes.length;
    await button.click();
    await expect.poll(() => outcomes.length).toBe(before + 1);
    await expect(button).toBeEnabled();
  }
  return outcomes.filter((o) => o === 'spent').length;
}

test('spends spread over two instances: exactly the balance succeeds, nothing is overdrawn', async ({ page, context }) => {
  await signUp(page, newAccount('instances'));
  await expect(page.getByTestId('quantity-credits')).toHaveText('50');
  // Four tabs, two on each instance, all of the same signed-in user (cookies are per host, not port).
  const pages = [page, await context.newPage(), await context.newPage(), await context.newPage()];
  await Promise.all(pages.map((p, i) => p.goto(`http://localhost:${i % 2 === 0 ? A : B}/dashboard`)));
  const spent = await Promise.all(pages.map(spendUntilRefused));
  expect(spent.reduce((a, b) => a + b, 0)).toBe(50);
  expect(spent.filter((n) => n > 0).length).toBeGreaterThan(1);
  await page.goto(`http://localhost:${B}/dashboard`);
  await expect(page.getByTestId('quantity-credits')).toHaveText('0');
  await page.goto(`http://localhost:${A}/activity`);
  await expect(page.getByText('(51 in all)')).toBeVisible(); // the free plan's grant and 50 spends
});

test('the same signed webhook event posted to both instances at once grants once; a window come due is granted once', async ({ page }) => {
  await signUp(page, newAccount('webhook'));
  await page.goto(`http://localhost:${A}/pricing`);
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await expect(page).toHaveURL(/\/emulator\/checkout\/cs_/);
  const sessionId = new URL(page.url()).pathname.split('/').at(-1)!;

  // Pay at "Stripe" without its delivery: the test delivers the event itself, to both at once.
  const emulatorDb = openEmulatorDb(emulatorFile);
  emulatorDb.$client.transaction(() => {
    const paid = payCheckoutSession(emulatorDb, sessionId, { type: 'card', number: '4242424242424242' }, Date.now());
    expect(paid.ok ? 'paid' : paid.message).toBe('paid');
    emulatorDb.update(emulatorDelivery).set({ deliveredAt: Date.now() }).run();
  })();
  const event = listObjects<{ id: string; object: string; type?: string; data?: { object: { id: string } } }>(emulatorDb, 'event').find(
    (e) => e.type === 'checkout.session.completed' && e.data?.object.id === sessionId,
  )!;
  const payload = JSON.stringify(event);
  const headers = {
    'content-type': 'application/json',
    'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_tally_emulator' }),
  };
  const responses = await Promise.all(
    [A, B, A, B].map((port) => fetch(`http://localhost:${port}/api/webhooks/stripe`, { method: 'POST', headers, body: payload })),
  );
  expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  await page.goto(`http://localhost:${B}/dashboard`);
  await expect(page.getByTestId('quantity-credits')).toHaveText('550');

  // A month later (this customer's test clock, which both instances follow), both read at once.
  setClockOffset(emulatorDb, ownerOfCustomer(emulatorDb, getSession(emulatorDb, sessionId)!.customer)!, 31 * 86_400_000);
  emulatorDb.$client.close();
  const [onA, onB] = await Promise.all(
    [A, B].map(async (port) => {
      const tab = await page.context().newPage();
      await tab.goto(`http://localhost:${port}/dashboard`);
      return tab;
    }),
  );
  await expect(onA!.getByTestId('quantity-credits')).toHaveText('550'); // 500 from the pack, a new 50 for the old
  await expect(onB!.getByTestId('quantity-credits')).toHaveText('550');
  await onA!.goto(`http://localhost:${A}/activity`);
  await expect(onA!.getByTestId('activity-row').filter({ hasText: 'Refill' })).toHaveCount(2); // month 1 and month 2, once each
  await expect(onA!.getByTestId('activity-row').filter({ hasText: 'Purchase' })).toHaveCount(1);
});
