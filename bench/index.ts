// Benchmarks that print figures as ratios against baselines measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateDatabase, openDatabase, sqliteDb, type Db } from '../db';
import { itemLedger } from '../db/schema';
import { insertUser } from '../db/testing';
import { run } from '../db/work';
import { createTeam } from '../lib/auth/teams';
import { getQuantity, increaseQuantity, tryDecreaseQuantity } from '../lib/payments/items';

const dir = mkdtempSync(path.join(tmpdir(), 'tally-bench-'));

function freshDb(name: string): Db {
  const orm = openDatabase(path.join(dir, `${name}.db`));
  migrateDatabase(orm);
  return sqliteDb(orm);
}

async function opsPerSecond(iterations: number, fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function median(runs: number, measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await measure());
  return values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function newTeamItem(db: Db, name: string) {
  return { customer: { type: 'team' as const, id: (await createTeam(db, await insertUser(db), name)).id }, itemId: 'api_calls' };
}

async function main() {
  // 1. tryDecreaseQuantity against a bare transaction of the same database: the conditional UPDATE
  //    and one ledger INSERT, as an IMMEDIATE transaction of prepared statements.
  {
    const db = freshDb('try');
    const key = await newTeamItem(db, 'Bench');
    const n = 20_000;
    await increaseQuantity(db, key, n * 10, Date.now());
    // The baseline spends from another balance row of the same tables, with its ledger row: only
    // the grant bookkeeping, the checks and the code around them are missing.
    const bareKey = await newTeamItem(db, 'Bare');
    await increaseQuantity(db, bareKey, n * 10, Date.now());
    const client = db.orm.$client;
    const where = 'customer_type = ? and customer_id = ? and item_id = ?';
    const k = [bareKey.customer.type, bareKey.customer.id, bareKey.itemId] as const;
    const take = client.prepare(`update item_balance set quantity = quantity - 1 where ${where} and quantity >= 1 returning quantity`);
    const log = client.prepare(
      "insert into item_ledger (customer_type, customer_id, item_id, delta, balance_after, reason, created_at) values (?, ?, ?, -1, ?, 'consumption', ?)",
    );
    const bareTx = client.transaction(() => {
      const row = take.get(...k) as { quantity: number } | undefined;
      return !!row && log.run(...k, row.quantity, Date.now()).changes === 1;
    });
    const baseline = await median(3, () => opsPerSecond(n, () => bareTx.immediate()));
    const tally = await median(3, () => opsPerSecond(n, () => tryDecreaseQuantity(db, key, 1, Date.now())));
    console.log(`tryDecreaseQuantity: ${tally.toFixed(0)} ops/s; bare conditional UPDATE + ledger INSERT on the same tables: ${baseline.toFixed(0)} ops/s`);
    console.log(`ratio tryDecreaseQuantity/bare-update (sqlite): ${(tally / baseline).toFixed(2)}`);
    client.close();
  }

  // 2. Spending with 20,000 live grants against one grant: only the grants a spend needs are read.
  {
    const db = freshDb('grants');
    const one = await newTeamItem(db, 'One');
    const many = await newTeamItem(db, 'Many');
    const now = Date.now();
    await increaseQuantity(db, one, 1_000_000, now);
    for (let i = 0; i < 20_000; i++) await increaseQuantity(db, many, 50, now);
    const spends = 10_000;
    const oneOps = await median(3, () => opsPerSecond(spends, () => tryDecreaseQuantity(db, one, 1, now)));
    const manyOps = await median(3, () => opsPerSecond(spends, () => tryDecreaseQuantity(db, many, 1, now)));
    console.log(`tryDecreaseQuantity: ${(1e6 / oneOps).toFixed(1)} µs with 1 grant, ${(1e6 / manyOps).toFixed(1)} µs with 20,000 live grants`);
    console.log(`ratio spend-latency 20k-grants/1-grant (sqlite): ${(oneOps / manyOps).toFixed(2)}`);
    db.orm.$client.close();
  }

  // 3. getItem latency with a long history against a short one: the balance row makes it O(1).
  {
    const db = freshDb('read');
    const short = await newTeamItem(db, 'Short');
    const long = await newTeamItem(db, 'Long');
    const now = Date.now();
    for (let i = 0; i < 10; i++) await increaseQuantity(db, short, 1, now);
    await increaseQuantity(db, long, 1, now);
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
    await db.write(function* (tx) {
      for (let i = 0; i < rows / batch.length; i++) yield* run(tx.insert(itemLedger).values(batch));
    });
    const reads = 50_000;
    const shortOps = await median(3, () => opsPerSecond(reads, () => getQuantity(db, short, now)));
    const longOps = await median(3, () => opsPerSecond(reads, () => getQuantity(db, long, now)));
    console.log(`getItem: ${(1e6 / shortOps).toFixed(1)} µs at 10 ledger rows, ${(1e6 / longOps).toFixed(1)} µs at ${rows.toLocaleString('en-US')} rows`);
    console.log(`ratio getItem-latency 1M-rows/10-rows (sqlite): ${(shortOps / longOps).toFixed(2)}`);
    db.orm.$client.close();
  }
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
