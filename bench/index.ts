// Benchmarks that print figures as ratios against baselines measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { queryCount, type Db } from '../db';
import { itemLedger } from '../db/schema';
import { closeTestDbs, createSharedTestDb, insertUser } from '../db/testing';
import { run } from '../db/work';
import { createTeam } from '../lib/auth/teams';
import { describeQueries } from './load';
import { getQuantity, increaseQuantity, tryDecreaseQuantity } from '../lib/payments/items';

const dir = mkdtempSync(path.join(tmpdir(), 'tally-bench-'));

/** A fresh database of the dialect DATABASE_URL selects (`npm run bench` runs each). */
const freshDb = () => createSharedTestDb(dir);

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
  //    … RETURNING and one ledger INSERT on the same tables, as prepared statements. Only the grant
  //    bookkeeping, the checks and the code around them are missing.
  {
    const { db, target } = await freshDb();
    const dialect = db.dialect;
    const key = await newTeamItem(db, 'Bench');
    const bareKey = await newTeamItem(db, 'Bare');
    const n = dialect === 'sqlite' ? 20_000 : 2_000;
    await increaseQuantity(db, key, n * 10, Date.now());
    await increaseQuantity(db, bareKey, n * 10, Date.now());
    const k = [bareKey.customer.type, bareKey.customer.id, bareKey.itemId] as const;
    const takeSql =
      'update item_balance set quantity = quantity - 1 where customer_type = $1 and customer_id = $2 and item_id = $3 and quantity >= 1 returning quantity';
    const logSql =
      "insert into item_ledger (customer_type, customer_id, item_id, delta, balance_after, reason, created_at) values ($1, $2, $3, -1, $4, 'consumption', $5)";
    let bare: () => unknown;
    let closeBare = async () => {};
    if (target.dialect === 'sqlite') {
      const client = db.orm.$client;
      const take = client.prepare(takeSql.replace(/\$\d/g, '?'));
      const log = client.prepare(logSql.replace(/\$\d/g, '?'));
      const bareTx = client.transaction(() => {
        const row = take.get(...k) as { quantity: number } | undefined;
        return !!row && log.run(...k, row.quantity, Date.now()).changes === 1;
      });
      bare = () => bareTx.immediate();
    } else {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      bare = async () => {
        await client.query('begin');
        const { rows } = await client.query({ name: 'bare_take', text: takeSql, values: [...k] });
        await client.query({ name: 'bare_log', text: logSql, values: [...k, rows[0].quantity, Date.now()] });
        await client.query('commit');
      };
      closeBare = () => client.end();
    }
    const baseline = await median(3, () => opsPerSecond(n, bare));
    const tally = await median(3, () => opsPerSecond(n, () => tryDecreaseQuantity(db, key, 1, Date.now())));
    await closeBare();
    const before = queryCount();
    for (let i = 0; i < 10; i++) await tryDecreaseQuantity(db, key, 1, Date.now());
    const after = queryCount();
    const per = { roundTrips: (after.roundTrips - before.roundTrips) / 10, statements: (after.statements - before.statements) / 10 };
    console.log(describeQueries('tryDecreaseQuantity', dialect, per, 'per call (the bare transaction: 4 round trips, 2 statements)'));
    console.log(`tryDecreaseQuantity: ${tally.toFixed(0)} ops/s; bare conditional UPDATE + ledger INSERT on the same tables: ${baseline.toFixed(0)} ops/s`);
    console.log(`ratio tryDecreaseQuantity/bare-update (${dialect}): ${(tally / baseline).toFixed(2)}`);
  }

  // 2. Spending with 20,000 live grants against one grant: only the grants a spend needs are read.
  {
    const { db } = await freshDb();
    const one = await newTeamItem(db, 'One');
    const many = await newTeamItem(db, 'Many');
    const now = Date.now();
    await increaseQuantity(db, one, 1_000_000, now);
    for (let i = 0; i < 20_000; i++) await increaseQuantity(db, many, 50, now);
    const spends = db.dialect === 'sqlite' ? 10_000 : 1_000;
    const oneOps = await median(3, () => opsPerSecond(spends, () => tryDecreaseQuantity(db, one, 1, now)));
    const manyOps = await median(3, () => opsPerSecond(spends, () => tryDecreaseQuantity(db, many, 1, now)));
    console.log(`tryDecreaseQuantity: ${(1e6 / oneOps).toFixed(1)} µs with 1 grant, ${(1e6 / manyOps).toFixed(1)} µs with 20,000 live grants`);
    console.log(`ratio spend-latency 20k-grants/1-grant (${db.dialect}): ${(oneOps / manyOps).toFixed(2)}`);
  }

  // 3. getItem latency with a long history against a short one: the balance row makes it O(1).
  {
    const { db } = await freshDb();
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
    const reads = db.dialect === 'sqlite' ? 50_000 : 5_000;
    const shortOps = await median(3, () => opsPerSecond(reads, () => getQuantity(db, short, now)));
    const longOps = await median(3, () => opsPerSecond(reads, () => getQuantity(db, long, now)));
    console.log(`getItem: ${(1e6 / shortOps).toFixed(1)} µs at 10 ledger rows, ${(1e6 / longOps).toFixed(1)} µs at ${rows.toLocaleString('en-US')} rows`);
    console.log(`ratio getItem-latency 1M-rows/10-rows (${db.dialect}): ${(shortOps / longOps).toFixed(2)}`);
  }
  await closeTestDbs();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
