import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSharedTestDb, insertUser } from '../../db/testing';
import { createTeam } from '../auth/teams';
import type { CustomerRef } from './customer-ref';
import { getQuantity, increaseQuantity } from './items';
import { getPurchase } from './purchase-rows';
import { DAY, insertSubscription, itemTotals, ledgerSum } from './testing';

/**
 * Several OS processes on one database, each with its own connection or pool, as instances have:
 * on PostgreSQL (`npm run test:unit:pg`) they interleave statement by statement.
 */

/** Starts a worker process; resolves `ready` once it has opened the database, `done` with what it did. */
function startWorker(target: string, customer: CustomerRef, operation: string, argument: string) {
  const worker = path.join(__dirname, 'race-worker.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', worker, target, JSON.stringify(customer), operation, argument], {
    cwd: process.cwd(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const done = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready\n')) markReady();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`worker exited ${code}: ${output}`));
      else resolve((JSON.parse(last) as { done: number }).done);
    });
  });
  return { ready, done, go: () => child.stdin.write('go\n') };
}

/** A barrier, not a timer: every process has started and opened the database before any works. */
async function race(workers: ReturnType<typeof startWorker>[]) {
  await Promise.all(workers.map((w) => w.ready));
  workers.forEach((w) => w.go());
  return Promise.all(workers.map((w) => w.done));
}

const dir = mkdtempSync(path.join(tmpdir(), 'tally-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function teamWithCalls(start: number) {
  const { db, target } = await createSharedTestDb(dir);
  const team: CustomerRef = { type: 'team', id: (await createTeam(db, await insertUser(db), 'Race')).id };
  await increaseQuantity(db, { customer: team, itemId: 'api_calls' }, start, Date.now());
  return { db, target: JSON.stringify(target), team };
}

describe('spending across processes', () => {
  it('tryDecreaseQuantity never overdraws and never loses an update when several processes spend one balance', async () => {
    const { db, target, team } = await teamWithCalls(3000);
    const successes = await race(Array.from({ length: 4 }, () => startWorker(target, team, 'tryDecrease', 'api_calls')));

    expect(successes.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(successes.filter((n) => n > 0).length).toBeGreaterThan(1); // they did interleave
    expect(await getQuantity(db, { customer: team, itemId: 'api_calls' }, Date.now())).toBe(0);
    expect(await ledgerSum(db, team, 'api_calls')).toBe(0);
  }, 60_000);

  it('decreaseQuantity keeps the grants in step with the balance: 4 processes × 250 from one grant of 2,000 leave 1,000 in it', async () => {
    const { db, target, team } = await teamWithCalls(2000);
    await race(Array.from({ length: 4 }, () => startWorker(target, team, 'decrease', 'api_calls')));

    expect(await itemTotals(db, team, 'api_calls')).toEqual({ balance: 1000, liveRemaining: 1000, debt: 0, openDebt: 0, ledger: 1000 });
  }, 60_000);
});

describe('purchase changes across processes', () => {
  it('a stale event for a subscription never undoes a later paid invoice recorded meanwhile', async () => {
    const shared = await createSharedTestDb(dir);
    const { db } = shared;
    const target = JSON.stringify(shared.target);
    const user: CustomerRef = { type: 'user', id: await insertUser(db) };
    const from = Date.UTC(2026, 0, 15);
    const pro = await insertSubscription(db, user, 'pro_monthly', { startedAt: from, paidThrough: from });
    const argument = JSON.stringify({ purchaseId: pro.id, from });
    const [undone] = await race([startWorker(target, user, 'renew', argument), startWorker(target, user, 'staleEvents', argument)]);

    expect(undone).toBe(0);
    const after = await db.read((tx) => getPurchase(tx, pro.id));
    expect(after?.paidThrough).toBe(from + 100 * DAY);
  }, 60_000);
});
