// Benchmarks that print figures as ratios against baselines measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateDatabase, openDatabase, type Db } from '../db';
import { itemLedger } from '../db/schema';
import { insertUser } from '../db/testing';
import { createTeam } from '../lib/auth/teams';
import { getQuantity, increaseQuantity, tryDecreaseQuantity } from '../lib/payments/items';

const dir = mkdtempSync(path.join(tmpdir(), 'tally-bench-'));

function freshDb(name: string): Db {
  const db = openDatabase(path.join(dir, `${name}.db`));
  migrateDatabase(db);
  return db;
}

function opsPerSecond(iterations: number, fn: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

// 1. tryDecreaseQuantity against a bare conditional UPDATE in its own IMMEDIATE transaction.
{
  const db = freshDb('try');
  const team = { type: 'team' as const, id: createTeam(db, insertUser(db), 'Bench').id };
  const key = { customer: team, itemId: 'api_calls' };
  const n = 20_000;
  increaseQuantity(db, key, n * 10, Date.now());
  db.$client.exec('create table bare (id integer primary key, quantity integer not null); insert into bare values (1, 1000000000);');
  const bare = db.$client.prepare('update bare set quantity = quantity - 1 where id = 1 and quantity >= 1');
  const bareTx = db.$client.transaction(() => bare.run().changes === 1);
  const baseline = median([1, 2, 3].map(() => opsPerSecond(n, () => bareTx.immediate())));
  const tally = median([1, 2, 3].map(() => opsPerSecond(n, () => tryDecreaseQuantity(db, key, 1, Date.now()))));
  console.log(`tryDecreaseQuantity: ${tally.toFixed(0)} ops/s; bare conditional UPDATE: ${baseline.toFixed(0)} ops/s`);
  console.log(`ratio tryDecreaseQuantity/bare-update: ${(tally / baseline).toFixed(2)}`);
  db.$client.close();
}

// 2. getItem latency with a long history against a short one: the balance row makes it O(1).
{
  const db = freshDb('read');
  const owner = insertUser(db);
  const short = { customer: { type: 'team' as const, id: createTeam(db, owner, 'Short').id }, itemId: 'api_calls' };
  const long = { customer: { type: 'team' as const, id: createTeam(db, owner, 'Long').id }, itemId: 'api_calls' };
  const now = Date.now();
  for (let i = 0; i < 10; i++) increaseQuantity(db, short, 1, now);
  increaseQuantity(db, long, 1, now);
  const rows = 1_000_000;
  const batch = Array.from({ length: 2_000 }, () => ({
    customerType: 'team' as const,
    customerId: long.customer.id,
    itemId: 'api_calls',
    delta: 0,
    balanceAfter: 1,
    reason: 'manual' as const,
    createdAt: now,
  }));
  db.transaction((tx) => {
    for (let i = 0; i < rows / batch.length; i++) tx.insert(itemLedger).values(batch).run();
  });
  const reads = 50_000;
  const shortOps = median([1, 2, 3].map(() => opsPerSecond(reads, () => getQuantity(db, short, now))));
  const longOps = median([1, 2, 3].map(() => opsPerSecond(reads, () => getQuantity(db, long, now))));
  console.log(`getItem: ${(1e6 / shortOps).toFixed(1)} µs at 10 ledger rows, ${(1e6 / longOps).toFixed(1)} µs at ${rows.toLocaleString('en-US')} rows`);
  console.log(`ratio getItem-latency 1M-rows/10-rows: ${(shortOps / longOps).toFixed(2)}`);
  db.$client.close();
}

rmSync(dir, { recursive: true, force: true });
