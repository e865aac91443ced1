// The torture mix under load: 4 OS processes applying every ledger operation, settlement,
// purchases, renewals, refunds and webhook redeliveries (lib/payments/torture-worker.ts), against
// 4 processes of tryDecreaseQuantity(1) alone on the same customers and items, the same count of
// operations each, in alternating rounds on fresh databases of the selected dialect. Prints both
// rates, their ratio, and the deadlocks and serialization failures that reached a caller (must be 0).
// The baseline's clock runs at real speed, so nothing comes due: the spend's hot path alone, while
// the mix's simulated clock passes a month a second (expiries, renewals, resets all the time).
// An operation is a call of a public function (getQuantity, a spend, a webhook's purchase change):
// a webhook delivered twice counts twice; the mix's own lookup of a subscription to act on does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeTestDbs, createSharedTestDb } from '../db/testing';
import { checkInvariants, RETRYABLE_CODES, runWorkers, seedTorture, serverDeadlocks, SPEED, T0, workerProblems } from '../lib/payments/torture-worker';

const WORKERS = 4;
const OPS = Number(process.env.BENCH_TORTURE_OPS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SEED = Number(process.env.TORTURE_SEED ?? 20_260_115);
/** Real milliseconds per simulated month of the mix: 1000 as in torture.test.ts; more = fewer events due. */
const MONTH_MS = Number(process.env.BENCH_TORTURE_MONTH_MS ?? 1_000);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

type Round = { opsPerSecond: number; surfaced: number; retryableSurfaced: number; detectedDeadlocks: number | null; problems: string[] };

async function measure(dir: string, mode: 'mix' | 'try', seed: number): Promise<Round> {
  const { db, target } = await createSharedTestDb(dir);
  const setup = await seedTorture(db, seed);
  const before = await serverDeadlocks(target);
  const speed = mode === 'mix' ? (SPEED * 1_000) / MONTH_MS : 1;
  const outcome = await runWorkers({ target, mode, ops: OPS, users: setup.users, teamId: setup.teamId, shared: setup.shared, t0: T0, speed }, seed, WORKERS);
  const results = outcome.workers.flatMap((w) => (w.result ? [w.result] : []));
  const ops = results.reduce((total, r) => total + r.calls, 0);
  let surfaced = 0;
  let retryableSurfaced = 0;
  for (const r of results) {
    for (const [code, n] of Object.entries(r.errorCodes)) {
      surfaced += n;
      if (RETRYABLE_CODES.has(code)) retryableSurfaced += n;
    }
  }
  const problems = [...workerProblems(outcome), ...(mode === 'mix' ? (await checkInvariants(db, outcome.finalNow, results)).problems : [])];
  const after = await serverDeadlocks(target);
  await closeTestDbs();
  return {
    opsPerSecond: ops / (outcome.wallMs / 1000),
    surfaced,
    retryableSurfaced,
    detectedDeadlocks: before === null || after === null ? null : after - before,
    problems,
  };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-torture-bench-'));
  const { db } = await createSharedTestDb(dir);
  const dialect = db.dialect;
  await closeTestDbs();
  const mix: Round[] = [];
  const alone: Round[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const a = await measure(dir, 'try', SEED + round * 100);
      const m = await measure(dir, 'mix', SEED + round * 100);
      alone.push(a);
      mix.push(m);
      const detected = m.detectedDeadlocks === null ? '' : `, deadlocks detected ${m.detectedDeadlocks} (mix) / ${a.detectedDeadlocks} (alone)`;
      console.log(
        `round ${round}: torture mix ${m.opsPerSecond.toFixed(0)} ops/s, tryDecreaseQuantity(1) alone ${a.opsPerSecond.toFixed(0)} ops/s (${WORKERS} processes × ${OPS} ops)${detected}`,
      );
      for (const problem of [...a.problems, ...m.problems]) console.log(`  ${problem}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mixOps = median(mix.map((r) => r.opsPerSecond));
  const aloneOps = median(alone.map((r) => r.opsPerSecond));
  const retryable = [...mix, ...alone].reduce((n, r) => n + r.retryableSurfaced, 0);
  const surfaced = [...mix, ...alone].reduce((n, r) => n + r.surfaced, 0);
  const detected = mix.every((r) => r.detectedDeadlocks !== null) ? mix.reduce((n, r) => n + r.detectedDeadlocks!, 0) : null;
  console.log(
    `torture mix: ${mixOps.toFixed(0)} ops/s; tryDecreaseQuantity(1) alone: ${aloneOps.toFixed(0)} ops/s (${WORKERS} processes, median of ${ROUNDS} rounds, a simulated month every ${MONTH_MS} ms)`,
  );
  console.log(`ratio torture-mix/tryDecreaseQuantity (${dialect}): ${(mixOps / aloneOps).toFixed(2)} (goal ≥ 0.5)`);
  console.log(
    `deadlocks/serialization failures surfaced: ${retryable} (other errors surfaced: ${surfaced - retryable})${detected === null ? '' : `; deadlocks PostgreSQL detected and retried in the mix: ${detected}`}`,
  );
  const broken = [...mix, ...alone].some((r) => r.problems.length > 0);
  if (broken) console.log('torture invariants: BROKEN (see the rounds above)');
  else console.log('torture invariants after each mix round: hold');
  if (broken || surfaced > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
