import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb, insertUser } from '../../db/testing';
import { createTeam } from '../auth/teams';
import { catalog } from './catalog';
import type { CustomerRef } from './customer-ref';
import { addDuration, type Duration } from './duration';
import { applyQuantityUpdate, decreaseQuantity, getQuantity, increaseQuantity, tryDecreaseQuantity } from './items';
import { LedgerModel, type ModelPurchase } from './ledger-model';
import { createPurchase, endPurchase, revokePeriod, revokePurchase, updatePurchase } from './purchases';
import { DAY, itemTotals, T0 } from './testing';

/**
 * The model (ledger-model.ts) against the real code, TigerBeetle-style: random sequences of
 * operations (spends, grants, purchases, renewals, plan switches, refunds, time passing) run on
 * both, on one user and one team, and every item's quantity must agree after every step. Runs on
 * SQLite, and on PostgreSQL when DATABASE_URL names one. A failure prints the shrunk sequence step
 * by step with both sides' quantities, its seed and path, and the command that replays it:
 *   MODEL_SEED=<seed> MODEL_PATH=<path> npx vitest run lib/payments/ledger-model.test.ts
 * (MODEL_RUNS=<n> runs more sequences, e.g. a long soak.)
 */

const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const STEPS = { minLength: 50, maxLength: 80 };
const HOUR = 3_600_000;
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');
// Wall time of the whole property, shrinking included (about 3× what it takes on a 2-core machine):
// past it the property fails as interrupted, reporting what it has; it never passes with fewer runs.
const BUDGET_MS = RUNS * (onPostgres ? 1_000 : 400);

type Who = 'user' | 'team';
type Amount = number | 'all' | 'all+1';
type Op =
  | { kind: 'advance'; by: 'hour' | '3 days' | 'month' | '3 months' | 'to next event' | 'to just before next event' }
  | { kind: 'increase'; who: Who; item: number; n: Amount; expires: 'never' | 'in an hour' | 'in 3 days' | 'in a month' | 'at next event' }
  | { kind: 'decrease'; who: Who; item: number; n: Amount; via: 'decreaseQuantity' | 'applyQuantityUpdate' }
  | { kind: 'tryDecrease'; who: Who; item: number; n: Amount; via: 'tryDecreaseQuantity' | 'applyQuantityUpdate' }
  | { kind: 'buyOneTime'; who: Who; product: number; quantity: number; source: 'stripe' | 'grant' }
  | { kind: 'subscribe'; who: Who; product: number; started: 'now' | 'an hour ago' | '3 days ago'; trial: boolean; firstInvoice: 'paid' | 'open' }
  | { kind: 'renew'; pick: number; periods: number }
  | { kind: 'end'; pick: number; at: 'now' | 'an hour ago' | 'at paid-through' }
  | { kind: 'refund'; pick: number }
  | { kind: 'refundPeriod'; pick: number; period: number };

/** What each customer holds and buys. The team's extra seats stand in for a one-time purchase: they last while bought. */
const customers = {
  user: { plans: ['pro_monthly', 'pro_yearly'], oneTime: ['credit_pack', 'welcome_bonus'] },
  team: { plans: ['team_plan'], oneTime: ['extra_seats'] },
} as const;

const who = fc.constantFrom<Who>('user', 'user', 'team');
const amount: fc.Arbitrary<Amount> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 1200 }) },
  { weight: 1, arbitrary: fc.constantFrom<Amount>('all', 'all+1') },
);
const pick = fc.nat({ max: 7 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('advance'),
      by: fc.constantFrom('hour', '3 days', 'month', '3 months', 'to next event', 'to just before next event'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('increase'),
      who,
      item: pick,
      n: amount,
      expires: fc.constantFrom('never', 'in an hour', 'in 3 days', 'in a month', 'at next event'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('decrease'), who, item: pick, n: amount, via: fc.constantFrom('decreaseQuantity', 'applyQuantityUpdate') }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('tryDecrease'), who, item: pick, n: amount, via: fc.constantFrom('tryDecreaseQuantity', 'applyQuantityUpdate') }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('buyOneTime'),
      who,
      product: pick,
      quantity: fc.integer({ min: 1, max: 2 }),
      source: fc.constantFrom('stripe', 'grant'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('subscribe'),
      who,
      product: pick,
      started: fc.constantFrom('now', 'now', 'an hour ago', '3 days ago'),
      trial: fc.boolean(),
      firstInvoice: fc.constantFrom('paid', 'paid', 'paid', 'open'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('renew'), pick, periods: fc.constantFrom(1, 1, 1, 2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('end'), pick, at: fc.constantFrom('now', 'an hour ago', 'at paid-through') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund'), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refundPeriod'), pick, period: pick }) },
) as fc.Arbitrary<Op>;

/**
 * A step that shrinking may drop (null) but generation never does: every generated sequence has
 * 50–80 real steps, and a counterexample keeps only the steps that matter.
 */
class Droppable<T> extends fc.Arbitrary<T | null> {
  constructor(private readonly arbitrary: fc.Arbitrary<T>) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T | null> {
    return this.arbitrary.generate(mrng, biasFactor);
  }
  canShrinkWithoutContext(value: unknown): value is T | null {
    return value === null || this.arbitrary.canShrinkWithoutContext(value);
  }
  shrink(value: T | null, context: unknown): fc.Stream<fc.Value<T | null>> {
    if (value === null) return fc.Stream.nil();
    return fc.Stream.of<fc.Value<T | null>>(new fc.Value(null, undefined)).join(this.arbitrary.shrink(value, context));
  }
}

const sequence = fc.record({
  // Start anywhere in a year and a bit, at any hour: month ends clamp windows (Jan 31 + 1 month = Feb 28).
  startDay: fc.nat({ max: 420 }),
  startHour: fc.nat({ max: 23 }),
  ops: fc.array(new Droppable(op), STEPS),
});
type Sequence = typeof sequence extends fc.Arbitrary<infer T> ? T : never;

/** A purchase the sequence made, on both sides; a subscription's invoice periods and how many are paid. */
type Bought = { who: Who; id: string; model: ModelPurchase; interval: Duration | null; periodsPaid: number };

/** Where invoice period k of a subscription starts: period 0 is the trial, if it has one. */
function periodStart({ model: p, interval }: Bought, k: number): number {
  if (k === 0) return p.startedAt;
  return p.trialEndsAt === null ? addDuration(p.startedAt, interval!, k) : addDuration(p.trialEndsAt, interval!, k - 1);
}

const at = (t: number, start: number) => {
  const d = Math.floor((t - start) / DAY);
  return `+${d}d ${new Date(t).toISOString().slice(11, 23)} (${new Date(t).toISOString().slice(0, 10)})`;
};

async function runSequence(db: Db, { startDay, startHour, ops }: Sequence): Promise<void> {
  const start = T0 + startDay * DAY + startHour * HOUR;
  let now = start;
  const userId = await insertUser(db);
  const refs: Record<Who, CustomerRef> = { user: { type: 'user', id: userId }, team: { type: 'team', id: (await createTeam(db, userId, 'Model')).id } };
  const models: Record<Who, LedgerModel> = { user: new LedgerModel('user', now), team: new LedgerModel('team', now) };
  const bought: Bought[] = [];
  const log: string[] = [`start ${new Date(start).toISOString()}`];

  const itemOf = (w: Who, index: number) => models[w].itemIds[index % models[w].itemIds.length]!;
  const resolve = (w: Who, itemId: string, n: Amount) => {
    const q = models[w].quantity(itemId);
    if (n === 'all') return Math.max(1, q);
    if (n === 'all+1') return Math.max(1, q + 1);
    // Seats come in handfuls, API calls in thousands.
    return itemId === 'seats' ? 1 + (n % 6) : itemId === 'api_calls' ? n * 10 : n;
  };
  const nextEvent = () => {
    const times = (['user', 'team'] as const).map((w) => models[w].nextEventAfterNow()).filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  };
  const chosen = (index: number, filter: (b: Bought) => boolean) => {
    const candidates = bought.filter(filter);
    return candidates.length ? candidates[index % candidates.length] : undefined;
  };

  /** Applies one operation to both sides; returns its description for the log. */
  async function apply(o: Op): Promise<string> {
    switch (o.kind) {
      case 'advance': {
        const next = nextEvent();
        const to =
          o.by === 'hour'
            ? now + HOUR
            : o.by === '3 days'
              ? now + 3 * DAY
              : o.by === 'month' || o.by === '3 months'
                ? addDuration(now, [o.by === 'month' ? 1 : 3, 'month'])
                : o.by === 'to next event'
                  ? (next ?? now + DAY)
                  : Math.max(now + 1, (next ?? now + DAY) - 1);
        now = to;
        models.user.advanceTo(now);
        models.team.advanceTo(now);
        return `advance ${o.by}`;
      }
      case 'increase': {
        const itemId = itemOf(o.who, o.item);
        const n = resolve(o.who, itemId, o.n);
        const expiresAt =
          o.expires === 'never'
            ? null
            : o.expires === 'in an hour'
              ? now + HOUR
              : o.expires === 'in 3 days'
                ? now + 3 * DAY
                : o.expires === 'in a month'
                  ? addDuration(now, [1, 'month'])
                  : (nextEvent() ?? now + DAY);
        models[o.who].increase(itemId, n, expiresAt);
        const key = { customer: refs[o.who], itemId };
        if (expiresAt === null) await increaseQuantity(db, key, n, now);
        else await applyQuantityUpdate(db, key, { delta: n, expiresAt, allowNegative: false, actor: 'system', description: null }, now);
        return `${o.who} increase ${itemId} ${n}${expiresAt === null ? '' : ` expiring ${o.expires} (${at(expiresAt, start)})`}`;
      }
      case 'decrease': {
        const itemId = itemOf(o.who, o.item);
        const n = resolve(o.who, itemId, o.n);
        models[o.who].decrease(itemId, n);
        const key = { customer: refs[o.who], itemId };
        if (o.via === 'decreaseQuantity') await decreaseQuantity(db, key, n, now);
        else await applyQuantityUpdate(db, key, { delta: -n, expiresAt: null, allowNegative: true, actor: 'system', description: null }, now);
        return `${o.who} decrease ${itemId} ${n} (${o.via})`;
      }
      case 'tryDecrease': {
        const itemId = itemOf(o.who, o.item);
        const n = resolve(o.who, itemId, o.n);
        const expected = models[o.who].tryDecrease(itemId, n);
        const key = { customer: refs[o.who], itemId };
        const took =
          o.via === 'tryDecreaseQuantity'
            ? await tryDecreaseQuantity(db, key, n, now)
            : await applyQuantityUpdate(db, key, { delta: -n, expiresAt: null, allowNegative: false, actor: 'system', description: null }, now);
        const line = `${o.who} tryDecrease ${itemId} ${n} (${o.via}): model ${expected}, real ${took}`;
        if (took !== expected) throw new Mismatch(line);
        return line;
      }
      case 'buyOneTime': {
        const productId = customers[o.who].oneTime[o.product % customers[o.who].oneTime.length]!;
        const product = catalog.products[productId]!;
        const interval = product.price !== 'include-by-default' ? (product.price.interval ?? null) : null;
        const paidThrough = interval ? addDuration(now, interval) : null;
        const quantity = product.stackable ? o.quantity : 1;
        const model = models[o.who].buy(productId, { quantity, source: o.source, paidThrough });
        const row = await db.write((tx) =>
          createPurchase(tx, { customer: refs[o.who], productId, product, quantity, source: o.source, status: 'active', startedAt: now, paidThrough }, now),
        );
        bought.push({ who: o.who, id: row.id, model, interval, periodsPaid: interval ? 1 : 0 });
        return `${o.who} buy ${quantity} × ${productId} (${o.source}) → purchase #${bought.length}`;
      }
      case 'subscribe': {
        const productId = customers[o.who].plans[o.product % customers[o.who].plans.length]!;
        const product = catalog.products[productId]!;
        const interval = (product.price as { interval: Duration }).interval;
        // A webhook that comes late records a subscription that started earlier (never before the customer existed).
        const startedAt = Math.max(start, o.started === 'now' ? now : o.started === 'an hour ago' ? now - HOUR : now - 3 * DAY);
        const trialEndsAt = o.trial && product.freeTrial ? addDuration(startedAt, product.freeTrial) : null;
        // As stripe-sync records it: paid through the current period's end once its invoice is paid, else its start.
        const periodsPaid = o.firstInvoice === 'paid' ? 1 : 0;
        const paidThrough = periodsPaid === 0 ? startedAt : (trialEndsAt ?? addDuration(startedAt, interval));
        const model = models[o.who].buy(productId, { source: 'stripe', startedAt, trialEndsAt, paidThrough });
        const row = await db.write((tx) =>
          createPurchase(
            tx,
            {
              customer: refs[o.who],
              productId,
              product,
              quantity: 1,
              source: 'stripe',
              status: trialEndsAt ? 'trialing' : 'active',
              startedAt,
              trialEndsAt,
              paidThrough,
            },
            now,
          ),
        );
        bought.push({ who: o.who, id: row.id, model, interval, periodsPaid });
        const trial = trialEndsAt === null ? '' : `, trial until ${at(trialEndsAt, start)}`;
        return `${o.who} subscribe ${productId}, started ${at(startedAt, start)}${trial}, paid through ${at(paidThrough, start)} → purchase #${bought.length}`;
      }
      case 'renew': {
        const b = chosen(o.pick, (b) => b.interval !== null && b.model.endedAt === null);
        if (!b) return 'renew: no live subscription (nothing)';
        // Usually the next period; two when the news of two paid invoices comes at once.
        b.periodsPaid += o.periods;
        const paidThrough = periodStart(b, b.periodsPaid);
        models[b.who].renew(b.model, paidThrough);
        await db.write((tx) => updatePurchase(tx, b.id, { paidThrough }, now));
        return `renew purchase #${bought.indexOf(b) + 1} (${b.model.productId}) through ${at(paidThrough, start)}`;
      }
      case 'end': {
        const b = chosen(o.pick, (b) => b.model.endedAt === null);
        if (!b) return 'end: nothing live (nothing)';
        // Stripe's `ended_at`, which a late event reports in the past: never before the purchase started.
        const endAt = Math.max(b.model.startedAt, o.at === 'now' ? now : o.at === 'an hour ago' ? now - HOUR : Math.min(now, b.model.paidThrough ?? now));
        models[b.who].end(b.model, endAt);
        await db.write((tx) => endPurchase(tx, b.id, endAt, now));
        return `end purchase #${bought.indexOf(b) + 1} (${b.model.productId}) at ${at(endAt, start)}`;
      }
      case 'refund': {
        const b = chosen(o.pick, () => true);
        if (!b) return 'refund: no purchase (nothing)';
        models[b.who].refund(b.model);
        await db.write((tx) => revokePurchase(tx, b.id, now));
        return `refund purchase #${bought.indexOf(b) + 1} (${b.model.productId})`;
      }
      case 'refundPeriod': {
        const b = chosen(o.pick, (b) => b.interval !== null && b.periodsPaid > 0);
        if (!b) return 'refund period: no paid subscription (nothing)';
        const k = o.period % b.periodsPaid;
        const period = { start: periodStart(b, k), end: periodStart(b, k + 1) };
        models[b.who].refundPeriod(b.model, period.start, period.end);
        await db.write((tx) => revokePeriod(tx, b.id, period, now));
        return `refund period ${k} [${at(period.start, start)}, ${at(period.end, start)}) of purchase #${bought.indexOf(b) + 1} (${b.model.productId})`;
      }
    }
  }

  /** Every item of both customers, real against model, at `now`. */
  async function compare(step: string): Promise<string> {
    const shown: string[] = [];
    for (const w of ['user', 'team'] as const) {
      for (const itemId of models[w].itemIds) {
        const real = await getQuantity(db, { customer: refs[w], itemId }, now);
        const expected = models[w].quantity(itemId);
        if (real !== expected) throw new Mismatch(`${step}\n    ${w} ${itemId}: real ${real}, model ${expected}`);
        shown.push(`${w === 'user' ? '' : 'team '}${itemId} ${real}`);
      }
    }
    return shown.join(', ');
  }

  let doing = 'the start';
  try {
    log.push(`0. start → ${await compare('0. start')}`);
    for (const [i, o] of ops.entries()) {
      if (o === null) continue; // dropped while shrinking
      doing = `step ${i + 1} (${JSON.stringify(o)})`;
      const what = await apply(o);
      const step = `${i + 1}. [${at(now, start)}] ${what}`;
      log.push(`${step} → ${await compare(step)}`);
    }
    // The invariants, and how the quantity splits into grants and debt.
    doing = 'the final check';
    for (const w of ['user', 'team'] as const) {
      for (const itemId of models[w].itemIds) {
        const real = await itemTotals(db, refs[w], itemId);
        const expected = { balance: models[w].quantity(itemId), liveRemaining: models[w].held(itemId), debt: models[w].debt(itemId) };
        const got = { balance: real.balance, liveRemaining: real.liveRemaining, debt: real.debt };
        if (JSON.stringify(got) !== JSON.stringify(expected) || real.openDebt !== real.debt || real.ledger !== real.balance) {
          throw new Mismatch(`end: ${w} ${itemId}: real ${JSON.stringify(real)}, model ${JSON.stringify(expected)}`);
        }
      }
    }
  } catch (error) {
    if (error instanceof Mismatch) log.push(`MISMATCH at ${doing}:\n  ${error.message}`);
    else log.push(`THREW at ${doing}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    throw new Mismatch(log.join('\n'));
  }
}

class Mismatch extends Error {}

/** On failure: the seed, the path, the command that replays it, and the failing sequence's steps. */
const report: fc.Plugin<unknown> = () => ({
  onAllRunsComplete: (details) => {
    if (!details.failed) return;
    const url = process.env.DATABASE_URL;
    const replay = [
      url ? `DATABASE_URL='${url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}'` : null,
      `MODEL_SEED=${details.seed}`,
      details.counterexamplePath ? `MODEL_PATH='${details.counterexamplePath}'` : null,
      'npx vitest run lib/payments/ledger-model.test.ts',
    ].filter(Boolean);
    throw new Error(
      [
        `Model and code disagree (${details.interrupted ? 'interrupted, ' : ''}after ${details.numRuns} runs, ${details.numShrinks} shrinks)`,
        `seed ${details.seed}, path ${details.counterexamplePath ?? '(none)'}`,
        `replay: ${replay.join(' ')}`,
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? 'no counterexample (time budget exceeded)'),
      ].join('\n'),
    );
  },
});

describe('the ledger model', () => {
  it(
    `agrees with the real code after every step of ${RUNS} random sequences (${STEPS.minLength}–${STEPS.maxLength} steps)`,
    async () => {
      // One database for the whole property (a fresh user and team per sequence): cheap on PostgreSQL.
      const db = await createTestDb();
      const seed = process.env.MODEL_SEED === undefined ? undefined : Number(process.env.MODEL_SEED);
      const path = process.env.MODEL_PATH;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(sequence, async (s) => {
          runs++;
          await runSequence(db, s);
        }),
        {
          numRuns: RUNS,
          ...(seed === undefined ? {} : { seed }),
          ...(path === undefined ? {} : { path, endOnFailure: true }),
          plugins: [report, fc.interruptAfterTimeLimit(BUDGET_MS, { failOnInterrupt: true })],
        },
      );
      expect(runs).toBeGreaterThanOrEqual(path === undefined ? RUNS : 1);
    },
    BUDGET_MS + 30_000,
  );
});
