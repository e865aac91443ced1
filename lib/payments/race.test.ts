import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSharedTestDb, insertUser } from '../../db/testing';
import { createTeam } from '../auth/teams';
import { getQuantity, increaseQuantity } from './items';
import { ledgerSum } from './testing';

/** Starts a worker process; resolves `ready` once it has opened the database, `done` with its count. */
function startWorker(worker: string, target: string, teamId: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, target, teamId], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
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
      else resolve((JSON.parse(last) as { successes: number }).successes);
    });
  });
  return { ready, done, go: () => child.stdin.write('go\n') };
}

const dir = mkdtempSync(path.join(tmpdir(), 'tally-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tryDecreaseQuantity across processes', () => {
  it('never overdraws and never loses an update when several processes spend one balance', async () => {
    const { db, target } = await createSharedTestDb(dir);
    const teamId = (await createTeam(db, await insertUser(db), 'Race')).id;
    const team = { type: 'team' as const, id: teamId };
    const key = { customer: team, itemId: 'api_calls' };
    const start = 3000;
    await increaseQuantity(db, key, start, Date.now());

    // A barrier, not a timer: every process has started and opened the file before any spends.
    const workers = Array.from({ length: 4 }, () => startWorker(path.join(__dirname, 'race-worker.ts'), JSON.stringify(target), teamId));
    await Promise.all(workers.map((w) => w.ready));
    workers.forEach((w) => w.go());
    const successes = await Promise.all(workers.map((w) => w.done));

    expect(successes.reduce((a, b) => a + b, 0)).toBe(start);
    expect(successes.filter((n) => n > 0).length).toBeGreaterThan(1); // they did interleave
    expect(await getQuantity(db, key, Date.now())).toBe(0);
    expect(await ledgerSum(db, team, 'api_calls')).toBe(0);
  }, 60_000);
});
