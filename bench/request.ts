// The request path on a production build: the dashboard's `spendItem` server action and the
// dashboard page, each against `/api/bare` (a route that does nothing but answer) on the same
// server, in alternating rounds of autocannon; the sign-in page as the floor of any page. Every
// spend is checked against the ledger.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { itemLedger, user } from '../db/schema';
import { closeTestDbs, createSharedTestDb } from '../db/testing';
import { get } from '../db/work';
import { increaseQuantity } from '../lib/payments/items';
import { describeQueries, loadRound, queriesPerRequest, sendOnce, type Cannon } from './load';
import { BENCH_DIST_DIR, buildForBench, median, startNext } from './server';

const PORT = 3220;
const APP_URL = `http://localhost:${PORT}`;
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;

const load = (cannon: Cannon, seconds = SECONDS) => loadRound(APP_URL, CONNECTIONS, cannon, seconds, SECONDS);

/** Server action ids by exported name, from the build's manifest (what a browser's form would send). */
function actionIds(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(BENCH_DIST_DIR, 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName: string; filename: string }>;
  };
  return Object.fromEntries(Object.entries(manifest.node).map(([id, entry]) => [`${entry.filename}#${entry.exportedName}`, id]));
}

const actionHeaders = (id: string, cookie: string) => ({
  'next-action': id,
  'content-type': 'text/plain;charset=UTF-8',
  accept: 'text/x-component',
  origin: APP_URL,
  cookie,
});

async function main() {
  buildForBench();
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-request-bench-'));
  const { db, target } = await createSharedTestDb(dir);
  const server = await startNext(PORT, {
    DATABASE_URL: target.dialect === 'postgres' ? target.url : target.file,
    STRIPE_EMULATOR_DATABASE: path.join(dir, 'stripe-emulator.db'),
    STRIPE_EMULATOR_PORT: String(PORT + 1),
    APP_URL,
  });
  try {
    const ids = actionIds();
    // Sign up through the app's own action, as a browser does, and keep its cookies.
    const email = `bench-${Date.now()}@example.com`;
    const signUp = await fetch(`${APP_URL}/sign-up`, {
      method: 'POST',
      headers: actionHeaders(ids['app/(auth)/actions.ts#signUp']!, ''),
      body: JSON.stringify([{ name: 'Bench', email, password: 'correct horse battery' }]),
      redirect: 'manual',
    });
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    if (!cookie.includes('session_token')) throw new Error(`sign-up set no session cookie (HTTP ${signUp.status})`);
    const userId = (await db.read((tx) => get(tx.select({ id: user.id }).from(user).where(eq(user.email, email)))))!.id;
    const customer = { type: 'user' as const, id: userId };
    await increaseQuantity(db, { customer, itemId: 'credits' }, 100_000_000, Date.now());

    const bare: Cannon = { url: '/api/bare' };
    const spend: Cannon = {
      url: '/dashboard',
      method: 'POST',
      headers: actionHeaders(ids['app/(app)/dashboard/actions.ts#spendItem']!, cookie),
      body: JSON.stringify([{ customer, itemId: 'credits', amount: 1 }]),
      expect: '"spent":1',
      amount: 600 * SECONDS, // about SECONDS at this machine's pace
    };
    const dashboard: Cannon = { url: '/dashboard', headers: { cookie } };
    // The floor of any page here: the sign-in form reads no data, and renders through the same proxy,
    // root layout and React server rendering as the dashboard.
    const signInPage: Cannon = { url: '/sign-in' };
    const check = await fetch(`${APP_URL}${spend.url}`, { method: 'POST', headers: spend.headers, body: spend.body });
    if (!(await check.text()).includes('"spent":1')) throw new Error('the spend action did not spend');
    const page = await fetch(`${APP_URL}/dashboard`, { headers: { cookie }, redirect: 'manual' });
    if (page.status !== 200) throw new Error(`the dashboard answered ${page.status}`);

    let spends = 1;
    for (const [name, path] of [
      ['spend-action', spend],
      ['dashboard', dashboard],
      ['sign-in-page', signInPage],
    ] as const) {
      // A short round of each warms up (JIT, caches) and is not counted; then rounds alternate with
      // the bare route, so drift in the machine's speed hits both alike.
      await load(bare, 2);
      const warmUp = await load(path, 2);
      if (name === 'spend-action') spends += warmUp.ok;
      const queries = await queriesPerRequest(APP_URL, () => {
        if (name === 'spend-action') spends++;
        return sendOnce(APP_URL, path);
      });
      console.log(describeQueries(name, db.dialect, queries));
      if (warmUp.errors) throw new Error(`warm-up: ${warmUp.errors} failed ${name} requests, e.g. ${warmUp.sample}`);
      const ratios: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const b = await load(bare);
        const r = await load(path);
        if (name === 'spend-action') spends += r.ok;
        if (r.errors || b.errors) throw new Error(`round ${round}: ${r.errors} failed ${name} requests (e.g. ${r.sample}), ${b.errors} failed bare requests`);
        ratios.push(r.rps / b.rps);
        console.log(
          `round ${round}: ${name} ${r.rps.toFixed(0)} requests/s (p99 ${r.p99} ms), bare route ${b.rps.toFixed(0)} requests/s (p99 ${b.p99} ms), ${CONNECTIONS} connections`,
        );
      }
      console.log(`ratio ${name}/bare-route (${db.dialect}): ${median(ratios).toFixed(2)} (median of ${ROUNDS} rounds)`);
    }

    // Every spend answered is in the ledger once, and nothing else was spent.
    const where = and(eq(itemLedger.customerId, userId), eq(itemLedger.reason, 'consumption'));
    const ledger = (await db.read((tx) => get(tx.select({ n: count() }).from(itemLedger).where(where))))!.n;
    console.log(ledger === spends ? `ledger: all ${spends} spends recorded once` : `ledger: ${ledger} consumption rows for ${spends} spends: WRONG`);
    if (ledger !== spends) process.exitCode = 1;
  } finally {
    server.stop();
    await closeTestDbs();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
