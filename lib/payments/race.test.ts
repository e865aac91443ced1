import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from '../../db';
import { insertUser } from '../../db/testing';
import { createTeam } from '../auth/teams';
import { getQuantity, increaseQuantity } from './items';
import { ledgerSum } from './testing';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'tally-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tryDecreaseQuantity across processes', () => {
  it('never overdraws and never loses an update when several processes spend one balance', async () => {
    const file = path.join(dir, 'race.db');
    const db = openDatabase(file);
    migrateDatabase(db);
    const teamId = createTeam(db, insertUser(db), 'Race').id;
    const team = { type: 'team' as const, id: teamId };
    const key = { customer: team, itemId: 'api_calls' };
    const start = 3000;
    increaseQuantity(db, key, start, Date.now());

    const processes = 4;
    const startAt = Date.now() + 3000;
    const worker = path.join(__dirname, 'race-worker.ts');
    const results = await Promise.all(
      Array.from({ length: processes }, () => run(process.execPath, ['--import', 'tsx', worker, file, teamId, String(startAt)], { cwd: process.cwd() })),
    );
    const successes = results.map((r) => (JSON.parse(r.stdout) as { successes: number }).successes);

    expect(successes.reduce((a, b) => a + b, 0)).toBe(start);
    expect(successes.filter((n) => n > 0).length).toBeGreaterThan(1); // they did interleave
    expect(getQuantity(db, key, Date.now())).toBe(0);
    expect(ledgerSum(db, team, 'api_calls')).toBe(0);
    db.$client.close();
  }, 60_000);
});
