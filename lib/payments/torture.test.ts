import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSharedTestDb } from '../../db/testing';
import { databaseDialect } from '../env';
import { checkInvariants, runWorkers, seedTorture, serverDeadlocks, SPEED, T0, workerProblems } from './torture-worker';

// 4 OS processes apply a seeded random mix of every ledger operation, settlement, purchases,
// renewals, refunds and webhook redeliveries (./torture-worker.ts) to three users and a team with
// many grants; the invariants are checked on the tables afterwards. Replay a failure's operation
// sequences with TORTURE_SEED=<seed> (worker i runs seed + i); TORTURE_OPS sets the count per worker,
// TORTURE_ONLY=renew,refund,… narrows the mix to some operations (names in ./torture-worker.ts).
const WORKERS = 4;
// SQLite's operations are several times cheaper: more of them, for as many simulated months.
const OPS = Number(process.env.TORTURE_OPS ?? (databaseDialect() === 'postgres' ? 500 : 2000));
const ONLY = process.env.TORTURE_ONLY?.split(',').filter(Boolean);
const SEED = process.env.TORTURE_SEED ? Number(process.env.TORTURE_SEED) : Math.floor(Math.random() * 2 ** 31);

const dir = mkdtempSync(path.join(tmpdir(), 'tally-torture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the torture run across processes', () => {
  it('keeps balance = live grants − debt = Σ ledger, never overdraws, and surfaces no deadlock', async () => {
    const { db, target } = await createSharedTestDb(dir);
    const setup = await seedTorture(db, SEED);
    const deadlocksBefore = await serverDeadlocks(target);
    const outcome = await runWorkers(
      { target, mode: 'mix', ops: OPS, users: setup.users, teamId: setup.teamId, shared: setup.shared, t0: T0, speed: SPEED, only: ONLY },
      SEED,
      WORKERS,
    );
    const results = outcome.workers.flatMap((w) => (w.result ? [w.result] : []));
    const { problems, summary } = await checkInvariants(db, outcome.finalNow, results);
    const deadlocks = deadlocksBefore === null ? null : (await serverDeadlocks(target))! - deadlocksBefore;

    const counts: Record<string, number> = {};
    for (const r of results) for (const [op, n] of Object.entries(r.counts)) counts[op] = (counts[op] ?? 0) + n;
    const simulatedDays = ((outcome.finalNow - T0) / 86_400_000).toFixed(0);
    console.log(
      [
        `torture on ${db.dialect}: seed ${SEED}, ${WORKERS} workers × ${OPS} ops in ${(outcome.wallMs / 1000).toFixed(1)} s (${simulatedDays} simulated days)`,
        `  ops: ${JSON.stringify(counts)}`,
        `  try-spends that succeeded: ${results.map((r) => `w${r.worker} ${r.trySuccesses}+${r.tryChangeSuccesses}`).join(', ')}`,
        ...(deadlocks === null ? [] : [`  deadlocks PostgreSQL detected (retried or surfaced): ${deadlocks}`]),
        ...summary.map((line) => `  ${line}`),
      ].join('\n'),
    );

    const all = [...workerProblems(outcome), ...problems];
    expect(all, `torture seed ${SEED} (replay: TORTURE_SEED=${SEED}):\n${all.join('\n')}`).toEqual([]);
  }, 180_000);
});
