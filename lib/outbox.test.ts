import { asc } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { notice } from '../db/schema';
import { createTestDb } from '../db/testing';
import { all } from '../db/work';
import { defineOutbox, leaseMs, OUTBOX_BATCH, type OutboxHandler } from './outbox';

type Row = typeof notice.$inferSelect;
const T0 = Date.UTC(2026, 10, 1);
const TIMEOUT_MS = 60_000;
/** An outbox over the notice table, with this file's handlers instead of mail. */
const outbox = (timeoutMs = TIMEOUT_MS) =>
  defineOutbox({
    name: 'test row',
    table: notice,
    columns: { id: 'id', order: 'createdAt', handledAt: 'mailedAt', dueAt: 'nextAttemptAt', attempts: 'attempts' },
    timeoutMs,
  });

let db: Db;
/** The fake clock every dispatch here reads; handlers move it to stand for the time they take. */
let now: number;
const clock = () => now;

beforeEach(async () => {
  db = await createTestDb();
  now = T0;
});

async function insertRows(n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `r${i}`,
    customerType: 'user' as const,
    customerId: 'u',
    kind: 'low_balance' as const,
    text: '',
    link: '/',
    createdAt: T0 + i,
    nextAttemptAt: 0,
  }));
  await db.orm.insert(notice).values(rows);
}
const rows = () => db.read((tx) => all(tx.select().from(notice).orderBy(asc(notice.createdAt))));

describe('an outbox', () => {
  it('keeps a batch leased while each handler of each row takes the whole timeout: another instance runs none of it', async () => {
    const box = outbox();
    await insertRows(OUTBOX_BATCH);
    const ran: string[] = [];
    const stolen: string[] = [];
    const slowest: OutboxHandler<Row> = async (row) => {
      ran.push(row.id);
      now += TIMEOUT_MS;
      await box.dispatch(db, [async (other) => void stolen.push(other.id)], clock); // another instance, now
    };

    await box.dispatch(db, [slowest, slowest], clock);
    expect(now).toBe(T0 + OUTBOX_BATCH * 2 * TIMEOUT_MS);
    expect(stolen).toEqual([]);
    expect(ran).toEqual((await rows()).flatMap((row) => [row.id, row.id])); // oldest first, both handlers
    expect((await rows()).every((row) => row.mailedAt === T0)).toBe(true);
  });

  it('starts no row that could still be running when its lease ends (writes slower than planned): it runs after the lease', async () => {
    const box = outbox();
    await insertRows(3);
    const lease = leaseMs(1, TIMEOUT_MS);
    const ran: string[] = [];
    const record: OutboxHandler<Row> = async (row) => void ran.push(row.id);
    const slowWrites: OutboxHandler<Row> = async (row) => {
      ran.push(row.id);
      now += lease - TIMEOUT_MS; // this row, and the writes around it, took all but a timeout of the lease
    };

    await box.dispatch(db, [slowWrites], clock);
    expect(ran).toEqual(['r0']); // r1 would start with less than a timeout of its lease left
    now = T0 + lease - 1;
    await box.dispatch(db, [record], clock);
    expect(ran).toEqual(['r0']); // still leased
    now = T0 + lease;
    await box.dispatch(db, [record], clock);
    expect(ran).toEqual(['r0', 'r1', 'r2']);
  });

  it('aborts the signal of a handler that takes longer than the timeout, and counts the row as failed', async () => {
    const box = outbox(20);
    await insertRows(1);
    let seen: AbortSignal | undefined;
    const stuck: OutboxHandler<Row> = (_, signal) => {
      seen = signal;
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve())); // stops when told, without finishing
    };

    await box.dispatch(db, [stuck], clock);
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as Error).name).toBe('TimeoutError');
    expect(await rows()).toMatchObject([{ mailedAt: null, attempts: 1, nextAttemptAt: T0 + 1000 }]);
  });

  it('retries a failing row after 1 s, 2 s, 4 s… and gives it up after 10 attempts', async () => {
    const box = outbox();
    await insertRows(1);
    let calls = 0;
    const failing: OutboxHandler<Row> = async () => {
      calls++;
      throw new Error('down');
    };

    for (let attempt = 1; attempt <= 10; attempt++) {
      await box.dispatch(db, [failing], clock);
      expect(calls).toBe(attempt);
      const wait = 1000 * 2 ** (attempt - 1);
      now += wait - 1;
      await box.dispatch(db, [failing], clock); // not due yet
      expect(calls).toBe(attempt);
      now += 1;
    }
    now += 365 * 24 * 60 * 60 * 1000;
    await box.dispatch(db, [failing], clock);
    expect(calls).toBe(10);
    expect(await rows()).toMatchObject([{ mailedAt: null, attempts: 10 }]);
  });
});
