// The torture run (torture.test.ts, bench/torture.ts): several OS processes apply a random mix of every
// ledger operation, settlement, purchases, renewals, refunds and webhook redeliveries to a few
// customers with many grants. This file is both the worker (run with `--torture-worker <config>`)
// and the parent's helpers: seeding, spawning behind a barrier, and the invariants checked after.
import { spawn } from 'node:child_process';
import { and, eq, gt, isNotNull, isNull, lt, or, sql, sum } from 'drizzle-orm';
import pg from 'pg';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { openDb, type DatabaseTarget, type Db } from '../../db';
import { insertUser } from '../../db/testing';
import { itemBalance, itemDebt, itemGrant, itemLedger, purchase } from '../../db/schema';
import { all } from '../../db/work';
import { createTeam } from '../auth/teams';
import type { Actor } from './actor';
import { catalog } from './catalog';
import type { CustomerRef, ItemKey } from './customer-ref';
import { addDuration, type Duration } from './duration';
import { applyQuantityUpdate, decreaseQuantity, getQuantity, increaseQuantity, tryDecreaseQuantity } from './items';
import { createPurchase, endPurchase, revokePeriod, revokePurchase, updatePurchase } from './purchases';
import { settleCustomer } from './settlement';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The simulated clock starts here; the parent seeds at T0, workers move on from it. */
export const T0 = Date.UTC(2026, 0, 15, 12);
/** Simulated milliseconds per real millisecond: a month passes every second of the run. */
export const SPEED = (30 * DAY) / 1_000;
/** Marks applyQuantityUpdate try-spends (allowNegative false) in the ledger. */
export const TRY_DESCRIPTION = 'torture:try';

/** A subscription or purchase a worker may act on: the parent's (shared by every worker) or its own. */
export type Target = { id: string; productId: string; startedAt: number; customer: CustomerRef };

export type TortureConfig = {
  target: DatabaseTarget;
  /** `mix`: every operation; `try`: tryDecreaseQuantity(1) alone (the bench's baseline). */
  mode: 'mix' | 'try';
  worker: number;
  seed: number;
  ops: number;
  users: string[];
  teamId: string;
  shared: Target[];
  t0: number;
  speed: number;
  /** Only these operations of the mix (TORTURE_ONLY=renew,refund): to narrow down a failure. */
  only?: string[];
};

export type WorkerError = { op: string; index: number; code: string; message: string };

export type WorkerResult = {
  worker: number;
  seed: number;
  mode: 'mix' | 'try';
  ops: number;
  /** Calls of the public functions the ops made: a webhook delivered twice is two. */
  calls: number;
  elapsedMs: number;
  lastNow: number;
  counts: Record<string, number>;
  /** tryDecreaseQuantity calls that returned true / applyQuantityUpdate try-spends that returned true. */
  trySuccesses: number;
  tryChangeSuccesses: number;
  errorCount: number;
  errorCodes: Record<string, number>;
  /** The first errors, with the op and its index in the worker's sequence. */
  errors: WorkerError[];
};

/** mulberry32: a small seeded PRNG, so a worker's sequence of operations replays from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(xs: readonly T[], r: number): T => xs[Math.min(xs.length - 1, Math.floor(r * xs.length))]!;
const int = (lo: number, hi: number, r: number) => lo + Math.min(hi - lo, Math.floor(r * (hi - lo + 1)));
/** A spend's amount: mostly small, one in twenty large enough to empty a balance (refusals, debt). */
const amount = (r: number) => (r < 0.95 ? int(1, 40, r / 0.95) : int(100, 1500, (r - 0.95) / 0.05));

/** The keys every worker spends and grants on: each user's credits, the team's API calls and seats. */
export function itemKeys(users: string[], teamId: string): ItemKey[] {
  const team: CustomerRef = { type: 'team', id: teamId };
  return [
    ...users.map((id) => ({ customer: { type: 'user' as const, id }, itemId: 'credits' })),
    { customer: team, itemId: 'api_calls' },
    { customer: team, itemId: 'seats' },
  ];
}

export function intervalOf(productId: string): Duration | null {
  const price = catalog.products[productId]?.price;
  return typeof price === 'object' && price.interval ? price.interval : null;
}

/** The index k ≥ 1 of the period `[start + (k−1)·interval, start + k·interval)` that holds `now`. */
function periodAt(startedAt: number, interval: Duration, now: number): number {
  let k = 1;
  while (addDuration(startedAt, interval, k) <= now && k < 10_000) k++;
  return k;
}

export function pgCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Deadlock detected / serialization failure: what the storage layer must retry, never surface. */
export const RETRYABLE_CODES = new Set(['40P01', '40001']);

function subscriptionInput(customer: CustomerRef, productId: string, now: number, id: string) {
  const product = catalog.products[productId]!;
  const interval = intervalOf(productId);
  return {
    customer,
    productId,
    product,
    quantity: 1,
    source: 'stripe' as const,
    status: 'active' as const,
    startedAt: now,
    paidThrough: interval ? addDuration(now, interval) : null,
    stripeSubscriptionId: interval ? `sub_${id}` : null,
    stripePaymentIntentId: interval ? null : `pi_${id}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The parent: seeding, spawning, invariants.

export type TortureSetup = { users: string[]; teamId: string; keys: ItemKey[]; shared: Target[] };

/**
 * Two or three users and a team, each item seeded with many grants (dated ones expiring over the
 * run's first simulated months, and never-expiring ones), and one Stripe subscription per
 * customer that every worker renews, refunds and ends: two processes hit the same one at once.
 */
export async function seedTorture(db: Db, seed: number, userCount = 3): Promise<TortureSetup> {
  const rand = prng(seed ^ 0x5eed);
  const users: string[] = [];
  for (let i = 0; i < userCount; i++) users.push(await insertUser(db));
  const teamId = (await createTeam(db, users[0]!, 'Torture')).id;
  const keys = itemKeys(users, teamId);
  const shared: Target[] = [];
  const plans = ['pro_monthly', 'pro_yearly', 'pro_monthly'];
  const customers: [CustomerRef, string][] = [
    ...users.map((id, i): [CustomerRef, string] => [{ type: 'user', id }, plans[i % plans.length]!]),
    [{ type: 'team', id: teamId }, 'team_plan'],
  ];
  for (const [customer, productId] of customers) {
    const row = await db.write((tx) => createPurchase(tx, subscriptionInput(customer, productId, T0, `parent_${customer.id}`), T0));
    shared.push({ id: row.id, productId, startedAt: T0, customer });
  }
  for (const key of keys) {
    for (let i = 0; i < 30; i++) {
      const expiresAt = T0 + int(DAY, 150 * DAY, rand());
      await applyQuantityUpdate(db, key, { delta: int(5, 60, rand()), expiresAt, allowNegative: false, actor: 'system', description: 'torture:seed' }, T0);
    }
    for (let i = 0; i < 10; i++) await increaseQuantity(db, key, int(10, 100, rand()), T0);
  }
  return { users, teamId, keys, shared };
}

type Started = {
  ready: Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string; result?: WorkerResult }>;
  go: (startMs: number) => void;
};

function startWorker(config: TortureConfig): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--torture-worker', JSON.stringify(config)], {
    cwd: process.cwd(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; result?: WorkerResult }>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('ready\n')) markReady();
    });
    child.on('error', (error) => {
      stderr += String(error);
      markReady();
      resolve({ code: -1, stdout, stderr });
    });
    child.on('exit', (code) => {
      markReady(); // a worker that died before "ready" must not hang the barrier
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let result: WorkerResult | undefined;
      try {
        result = last.startsWith('{') ? (JSON.parse(last) as WorkerResult) : undefined;
      } catch {
        result = undefined;
      }
      resolve({ code, stdout, stderr, result });
    });
  });
  return { ready, done, go: (startMs) => child.stdin.write(`go ${startMs}\n`) };
}

export type RunOutcome = {
  startMs: number;
  /** From "go" to the last worker's exit: process start-up is before the barrier, so not counted. */
  wallMs: number;
  finalNow: number;
  workers: { code: number | null; stdout: string; stderr: string; result?: WorkerResult }[];
};

/** Starts `count` workers, waits until every one has opened the database, then lets them go at once. */
export async function runWorkers(base: Omit<TortureConfig, 'worker' | 'seed'>, seed: number, count: number): Promise<RunOutcome> {
  const workers = Array.from({ length: count }, (_, worker) => startWorker({ ...base, worker, seed: seed + worker }));
  await Promise.all(workers.map((w) => w.ready));
  const startMs = Date.now();
  workers.forEach((w) => w.go(startMs));
  const outcomes = await Promise.all(workers.map((w) => w.done));
  const wallMs = Date.now() - startMs;
  const finalNow = Math.floor(base.t0 + (Date.now() - startMs) * base.speed) + 1;
  return { startMs, wallMs, finalNow, workers: outcomes };
}

/** Deadlocks PostgreSQL detected in this database so far (retried or not); null on SQLite. */
export async function serverDeadlocks(target: DatabaseTarget): Promise<number | null> {
  if (target.dialect !== 'postgres') return null;
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ deadlocks: string }>('select deadlocks from pg_stat_database where datname = current_database()');
    return Number(rows[0]?.deadlocks ?? 0);
  } finally {
    await client.end();
  }
}

type Sums = Map<string, number>;
const keyOf = (type: string, id: string, item: string) => `${type}/${id}/${item}`;

/**
 * Settles every item at `finalNow` (getQuantity), then reads the tables directly and returns every
 * broken invariant as a sentence (empty: all hold). Counts of successful try-spends per worker are
 * checked against the ledger rows they wrote.
 */
export async function checkInvariants(db: Db, finalNow: number, results: WorkerResult[]): Promise<{ problems: string[]; summary: string[] }> {
  const problems: string[] = [];
  const summary: string[] = [];
  const balances = await db.read((tx) => all(tx.select().from(itemBalance)));
  for (const b of balances) await getQuantity(db, { customer: { type: b.customerType, id: b.customerId }, itemId: b.itemId }, finalNow);

  const grouped = async (
    table: typeof itemGrant | typeof itemDebt | typeof itemLedger,
    column: AnySQLiteColumn,
    where?: ReturnType<typeof and>,
  ): Promise<Sums> => {
    const rows = await db.read((tx) =>
      all(
        tx
          .select({ type: table.customerType, id: table.customerId, item: table.itemId, total: sum(column).mapWith(Number) })
          .from(table)
          .where(where)
          .groupBy(table.customerType, table.customerId, table.itemId),
      ),
    );
    return new Map(rows.map((r) => [keyOf(r.type, r.id, r.item), r.total ?? 0]));
  };
  const liveGrants = await grouped(
    itemGrant,
    itemGrant.remaining,
    and(gt(itemGrant.remaining, 0), or(isNull(itemGrant.expiresAt), gt(itemGrant.expiresAt, finalNow))),
  );
  const debts = await grouped(itemDebt, itemDebt.remaining);
  const ledger = await grouped(itemLedger, itemLedger.delta);
  const settled = new Map((await db.read((tx) => all(tx.select().from(itemBalance)))).map((b) => [keyOf(b.customerType, b.customerId, b.itemId), b]));
  const keys = new Set([...settled.keys(), ...liveGrants.keys(), ...debts.keys(), ...ledger.keys()]);
  for (const key of [...keys].sort()) {
    const b = settled.get(key);
    const live = liveGrants.get(key) ?? 0;
    const debt = debts.get(key) ?? 0;
    const sumDelta = ledger.get(key) ?? 0;
    if (!b) {
      problems.push(`${key}: grants, debt or ledger rows but no item_balance row (live grants ${live}, debt ${debt}, ledger Σ ${sumDelta})`);
      continue;
    }
    summary.push(`${key}: quantity ${b.quantity}, debt ${b.debt}, Σ live remaining ${live}, Σ item_debt ${debt}, ledger Σ ${sumDelta}`);
    if (b.quantity !== live - b.debt) {
      problems.push(
        `${key}: item_balance.quantity ${b.quantity} ≠ Σ live remaining ${live} − debt ${b.debt} = ${live - b.debt} (off by ${b.quantity - (live - b.debt)})`,
      );
    }
    if (b.debt !== debt) problems.push(`${key}: item_balance.debt ${b.debt} ≠ Σ item_debt.remaining ${debt}`);
    if (sumDelta !== b.quantity)
      problems.push(`${key}: Σ item_ledger.delta ${sumDelta} ≠ item_balance.quantity ${b.quantity} (off by ${sumDelta - b.quantity})`);
    if (b.nextEventAt !== null && b.nextEventAt <= finalNow) problems.push(`${key}: still due after settling at ${finalNow} (next event ${b.nextEventAt})`);
  }

  const [debtRows, grantRows] = await db.read(function* (tx) {
    const debt = yield* all(tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(itemDebt));
    const grants = yield* all(tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(itemGrant));
    return [debt[0]?.n ?? 0, grants[0]?.n ?? 0] as const;
  });
  const purchases = await db.read((tx) => all(tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(purchase)));
  summary.push(`${grantRows} grants, ${debtRows} debts and ${purchases[0]?.n ?? 0} purchases recorded in all`);

  const [badGrants, overGrants, badDebts] = await db.read(function* (tx) {
    const negative = yield* all(
      tx.select({ id: itemGrant.id, remaining: itemGrant.remaining, item: itemGrant.itemId }).from(itemGrant).where(lt(itemGrant.remaining, 0)),
    );
    const over = yield* all(
      tx
        .select({ id: itemGrant.id, remaining: itemGrant.remaining, quantity: itemGrant.quantity, item: itemGrant.itemId })
        .from(itemGrant)
        .where(gt(itemGrant.remaining, itemGrant.quantity)),
    );
    const debt = yield* all(
      tx.select({ id: itemDebt.id, remaining: itemDebt.remaining, item: itemDebt.itemId }).from(itemDebt).where(lt(itemDebt.remaining, 0)),
    );
    return [negative, over, debt] as const;
  });
  if (badGrants.length) problems.push(`${badGrants.length} item_grant rows with remaining < 0, e.g. ${JSON.stringify(badGrants.slice(0, 3))}`);
  if (overGrants.length) problems.push(`${overGrants.length} item_grant rows with remaining > quantity, e.g. ${JSON.stringify(overGrants.slice(0, 3))}`);
  if (badDebts.length) problems.push(`${badDebts.length} item_debt rows with remaining < 0, e.g. ${JSON.stringify(badDebts.slice(0, 3))}`);

  // Successful spends never exceed what was there: every try-spend left a balance ≥ 0, and each
  // worker's successes are exactly the ledger rows its try-spends wrote (no more, no fewer).
  const tryRows = await db.read((tx) =>
    all(
      tx
        .select({
          actor: itemLedger.actor,
          description: itemLedger.description,
          rows: sql<number>`count(*)`.mapWith(Number),
          lowest: sql<number>`min(${itemLedger.balanceAfter})`.mapWith(Number),
        })
        .from(itemLedger)
        .where(and(eq(itemLedger.reason, 'consumption'), isNotNull(itemLedger.actor), sql`${itemLedger.actor} like 'api_key:torture-%'`))
        .groupBy(itemLedger.actor, itemLedger.description),
    ),
  );
  const rowsOf = (actor: string, description: string | null) => tryRows.find((r) => r.actor === actor && r.description === description);
  for (const r of results) {
    const tryRow = rowsOf(actorFor(r.worker, 'try'), null);
    const changeRow = rowsOf(actorFor(r.worker, 'tryc'), TRY_DESCRIPTION);
    for (const [what, row, successes] of [
      ['tryDecreaseQuantity', tryRow, r.trySuccesses],
      ['applyQuantityUpdate try-spend', changeRow, r.tryChangeSuccesses],
    ] as const) {
      const rows = row?.rows ?? 0;
      if (rows !== successes) problems.push(`worker ${r.worker} (seed ${r.seed}): ${successes} successful ${what} calls but ${rows} ledger rows`);
      if (row && row.lowest < 0) problems.push(`worker ${r.worker} (seed ${r.seed}): a successful ${what} left balance_after ${row.lowest} < 0`);
    }
  }
  const negativeTries = await db.read((tx) =>
    all(
      tx
        .select({ id: itemLedger.id, balanceAfter: itemLedger.balanceAfter, item: itemLedger.itemId })
        .from(itemLedger)
        .where(and(eq(itemLedger.description, TRY_DESCRIPTION), lt(itemLedger.balanceAfter, 0))),
    ),
  );
  if (negativeTries.length)
    problems.push(`${negativeTries.length} '${TRY_DESCRIPTION}' ledger rows with balance_after < 0, e.g. ${JSON.stringify(negativeTries.slice(0, 3))}`);
  return { problems, summary };
}

/** Worker failures as sentences: a non-zero exit, no result, or errors surfaced by operations. */
export function workerProblems(outcome: RunOutcome): string[] {
  const problems: string[] = [];
  outcome.workers.forEach((w, i) => {
    if (!w.result) {
      problems.push(`worker ${i} exited ${w.code} without a result: ${(w.stderr || w.stdout).slice(-2000)}`);
      return;
    }
    const r = w.result;
    if (r.errorCount > 0) {
      const first = r.errors.map((e) => `  #${e.index} ${e.op}: [${e.code}] ${e.message}`).join('\n');
      problems.push(`worker ${r.worker} (seed ${r.seed}) surfaced ${r.errorCount} errors ${JSON.stringify(r.errorCodes)}; first:\n${first}`);
    } else if (w.code !== 0) {
      problems.push(`worker ${r.worker} (seed ${r.seed}) exited ${w.code}: ${w.stderr.slice(-2000)}`);
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The worker.

const actorFor = (worker: number, kind: 'try' | 'tryc' | 'dec' | 'grant'): Actor => `api_key:torture-w${worker}-${kind}`;

/** `run` resolves to the number of calls it made of the public functions when that is not 1. */
type Op = { name: string; weight: number; run: (r: number[], now: number) => Promise<number | void> };

async function work(db: Db, config: TortureConfig, startMs: number): Promise<WorkerResult> {
  const rand = prng(config.seed);
  const keys = itemKeys(config.users, config.teamId);
  const users = config.users.map((id): CustomerRef => ({ type: 'user', id }));
  const team: CustomerRef = { type: 'team', id: config.teamId };
  const own: Target[] = [];
  const renewals: { id: string; paidThrough: number }[] = [];
  const result: WorkerResult = {
    worker: config.worker,
    seed: config.seed,
    mode: config.mode,
    ops: 0,
    calls: 0,
    elapsedMs: 0,
    lastNow: config.t0,
    counts: {},
    trySuccesses: 0,
    tryChangeSuccesses: 0,
    errorCount: 0,
    errorCodes: {},
    errors: [],
  };
  // A shared clock that moves forward: every process derives it from the same start and Date.now().
  let last = config.t0;
  const clock = () => (last = Math.max(last, Math.floor(config.t0 + (Date.now() - startMs) * config.speed)));
  const w = config.worker;

  /** A subscription to act on: mostly one the database lists (any worker's or the parent's), else the shared or own ones. */
  async function subscriptionTarget(r: number, rLive: number): Promise<Target> {
    const rows = await db.read((tx) =>
      all(
        tx
          .select({
            id: purchase.id,
            productId: purchase.productId,
            startedAt: purchase.startedAt,
            type: purchase.customerType,
            customer: purchase.customerId,
            endedAt: purchase.endedAt,
          })
          .from(purchase)
          .where(isNotNull(purchase.stripeSubscriptionId))
          .orderBy(purchase.id),
      ),
    );
    const live = rows.filter((p) => p.endedAt === null);
    const from = rLive < 0.8 && live.length ? live : rows;
    if (!from.length) return pick([...config.shared, ...own.filter((p) => intervalOf(p.productId))], r);
    const p = pick(from, r);
    return { id: p.id, productId: p.productId, startedAt: p.startedAt, customer: { type: p.type, id: p.customer } };
  }

  const ops: Op[] = [
    { name: 'getQuantity', weight: 8, run: async (r, now) => void (await getQuantity(db, pick(keys, r[0]!), now)) },
    { name: 'increaseQuantity', weight: 6, run: (r, now) => increaseQuantity(db, pick(keys, r[0]!), int(1, 150, r[1]!), now, actorFor(w, 'grant')) },
    {
      name: 'grantDated',
      weight: 8,
      run: async (r, now) =>
        void (await applyQuantityUpdate(
          db,
          pick(keys, r[0]!),
          {
            delta: int(1, 200, r[1]!),
            expiresAt: now + int(HOUR, 45 * DAY, r[2]!),
            allowNegative: false,
            actor: actorFor(w, 'grant'),
            description: 'torture:grant',
          },
          now,
        )),
    },
    { name: 'decreaseQuantity', weight: 10, run: (r, now) => decreaseQuantity(db, pick(keys, r[0]!), amount(r[1]!), now, actorFor(w, 'dec')) },
    {
      name: 'tryDecreaseQuantity',
      weight: 14,
      run: async (r, now) => {
        if (await tryDecreaseQuantity(db, pick(keys, r[0]!), amount(r[1]!), now, actorFor(w, 'try'))) result.trySuccesses++;
      },
    },
    {
      name: 'trySpend',
      weight: 10,
      run: async (r, now) => {
        const change = { delta: -amount(r[1]!), expiresAt: null, allowNegative: false, actor: actorFor(w, 'tryc'), description: TRY_DESCRIPTION };
        if (await applyQuantityUpdate(db, pick(keys, r[0]!), change, now)) result.tryChangeSuccesses++;
      },
    },
    {
      name: 'decreaseIn',
      weight: 4,
      run: async (r, now) =>
        void (await applyQuantityUpdate(
          db,
          pick(keys, r[0]!),
          { delta: -amount(r[1]!), expiresAt: null, allowNegative: true, actor: actorFor(w, 'dec'), description: 'torture:spend' },
          now,
        )),
    },
    { name: 'settle', weight: 3, run: (r, now) => db.write((tx) => settleCustomer(tx, pick([...users, team], r[0]!), now)) },
    {
      name: 'buyPack',
      weight: 0.6,
      run: async (r, now) => {
        const customer = pick(users, r[0]!);
        const row = await db.write((tx) =>
          createPurchase(tx, { ...subscriptionInput(customer, 'credit_pack', now, `w${w}_${config.seed}_${result.ops}`), quantity: r[1]! < 0.8 ? 1 : 2 }, now),
        );
        own.push({ id: row.id, productId: 'credit_pack', startedAt: now, customer });
      },
    },
    {
      // A new subscription of a product line ends the live one of that line (the parent's, another worker's).
      name: 'subscribe',
      weight: 1.5,
      run: async (r, now) => {
        const [customer, productId] = pick<[CustomerRef, string]>(
          [
            [pick(users, r[1]!), 'pro_monthly'],
            [pick(users, r[1]!), 'pro_yearly'],
            [team, 'team_plan'],
            [team, 'extra_seats'],
          ],
          r[0]!,
        );
        const row = await db.write((tx) => createPurchase(tx, subscriptionInput(customer, productId, now, `w${w}_${config.seed}_${result.ops}`), now));
        own.push({ id: row.id, productId, startedAt: now, customer });
      },
    },
    {
      // invoice.paid: the period holding now (sometimes a stale one, sometimes the next), often delivered twice.
      name: 'renew',
      weight: 14,
      run: async (r, now) => {
        const t = await subscriptionTarget(r[0]!, r[1]!);
        const interval = intervalOf(t.productId)!;
        const k = Math.max(1, periodAt(t.startedAt, interval, now) + pick([-1, 0, 0, 0, 1], r[2]!));
        const paidThrough = addDuration(t.startedAt, interval, k);
        await db.write((tx) => updatePurchase(tx, t.id, { paidThrough, status: 'active' }, now));
        renewals.push({ id: t.id, paidThrough });
        if (r[3]! >= 0.35) return 1;
        await db.write((tx) => updatePurchase(tx, t.id, { paidThrough, status: 'active' }, clock()));
        return 2;
      },
    },
    {
      // A webhook redelivered late: an earlier renewal of this worker again.
      name: 'redeliver',
      weight: 4,
      run: async (r, now) => {
        if (!renewals.length) return 0;
        const { id, paidThrough } = pick(renewals, r[0]!);
        await db.write((tx) => updatePurchase(tx, id, { paidThrough, status: 'active' }, now));
      },
    },
    {
      // A subscription invoice refunded: one period's windows taken back (twice, sometimes: a redelivery).
      name: 'refundPeriod',
      weight: 2,
      run: async (r, now) => {
        const t = await subscriptionTarget(r[0]!, r[1]!);
        const interval = intervalOf(t.productId)!;
        const k = int(0, periodAt(t.startedAt, interval, now) - 1, r[2]!);
        const period = { start: addDuration(t.startedAt, interval, k), end: addDuration(t.startedAt, interval, k + 1) };
        await db.write((tx) => revokePeriod(tx, t.id, period, now, { actor: 'stripe' }));
        if (r[3]! >= 0.3) return 1;
        await db.write((tx) => revokePeriod(tx, t.id, period, clock(), { actor: 'stripe' }));
        return 2;
      },
    },
    {
      // A refund or dispute of a whole purchase: mostly this worker's own, sometimes any subscription.
      name: 'refund',
      weight: 2,
      run: async (r, now) => {
        const t = r[1]! < 0.75 && own.length ? pick(own, r[0]!) : await subscriptionTarget(r[0]!, r[2]!);
        await db.write((tx) => revokePurchase(tx, t.id, now, { actor: 'stripe' }));
        if (r[3]! >= 0.3) return 1;
        await db.write((tx) => revokePurchase(tx, t.id, clock(), { actor: 'stripe' }));
        return 2;
      },
    },
    {
      name: 'endPurchase',
      weight: 0.7,
      run: async (r, now) => {
        const t = await subscriptionTarget(r[0]!, r[1]!);
        await db.write((tx) => endPurchase(tx, t.id, now, now));
      },
    },
  ];
  const tryAlone: Op = {
    name: 'tryDecreaseQuantity(1)',
    weight: 1,
    run: async (r, now) => {
      if (await tryDecreaseQuantity(db, pick(keys, r[0]!), 1, now, actorFor(w, 'try'))) result.trySuccesses++;
    },
  };
  const mix = config.mode === 'try' ? [tryAlone] : config.only?.length ? ops.filter((op) => config.only!.includes(op.name)) : ops;
  if (!mix.length) throw new Error(`no operation named ${config.only?.join(', ')}; there are ${ops.map((op) => op.name).join(', ')}`);
  const totalWeight = mix.reduce((s, op) => s + op.weight, 0);
  const choose = (r: number) => {
    let x = r * totalWeight;
    for (const op of mix) if ((x -= op.weight) < 0) return op;
    return mix.at(-1)!;
  };

  const started = Date.now();
  for (let index = 0; index < config.ops; index++) {
    // A fixed number of draws per operation: the sequence of operations and their arguments depends
    // only on the seed, whatever the database answered.
    const op = choose(rand());
    const r = Array.from({ length: 6 }, rand);
    result.ops++;
    result.counts[op.name] = (result.counts[op.name] ?? 0) + 1;
    try {
      result.calls += (await op.run(r, clock())) ?? 1;
    } catch (error) {
      const code = pgCode(error) ?? (error as Error).name ?? 'Error';
      result.errorCount++;
      result.errorCodes[code] = (result.errorCodes[code] ?? 0) + 1;
      const cause = (error as { cause?: unknown }).cause;
      const message = `${(error as Error).message ?? String(error)}${cause ? ` (cause: ${(cause as Error).message ?? String(cause)})` : ''}`;
      if (result.errors.length < 10) result.errors.push({ op: op.name, index, code, message: message.replace(/\s+/g, ' ').slice(0, 400) });
    }
  }
  result.elapsedMs = Date.now() - started;
  result.lastNow = last;
  await db.close();
  return result;
}

async function main() {
  const config = JSON.parse(process.argv[3]!) as TortureConfig;
  // Its own connection (SQLite) or pool (PostgreSQL), opened before the barrier, as another instance has.
  const db = openDb(config.target);
  await db.ping();
  process.stdout.write('ready\n');
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input += chunk.toString();
    const match = /^go (\d+)\n/.exec(input);
    if (!match) return;
    process.stdin.removeAllListeners('data');
    process.stdin.pause();
    work(db, config, Number(match[1])).then(
      (result) => {
        process.stdout.write(`\n${JSON.stringify(result)}\n`);
        process.exit(result.errorCount > 0 ? 1 : 0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(2);
      },
    );
  });
}

if (process.argv[2] === '--torture-worker') {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}
