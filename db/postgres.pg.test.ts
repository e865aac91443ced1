import { tmpdir } from 'node:os';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../lib/errors';
import { pgDb } from './index';
import { itemBalance } from './schema';
import { createSharedTestDb } from './testing';
import { get, run, type Work } from './work';

/** PostgreSQL only (`npm run test:unit:pg`): retries, outages and dropped connections. */

async function testDatabaseUrl(): Promise<string> {
  const { target } = await createSharedTestDb(tmpdir());
  if (target.dialect !== 'postgres') throw new Error('run with DATABASE_URL=postgres://… (npm run test:unit:pg)');
  return target.url;
}

const counter = { customerType: 'custom' as const, customerId: 'drill', itemId: 'build_minutes' };

/** Adds 1 to a counter in three statements, so a failure can fall between them. */
function* addOne(tx: Parameters<Parameters<ReturnType<typeof pgDb>['write']>[0]>[0]): Work<number> {
  yield* run(
    tx
      .insert(itemBalance)
      .values({ ...counter, quantity: 0, debt: 0, nextEventAt: null, settledAt: 0 })
      .onConflictDoNothing(),
  );
  yield* run(tx.update(itemBalance).set({ quantity: sql`${itemBalance.quantity} + 1` }));
  return (yield* get(tx.select({ quantity: itemBalance.quantity }).from(itemBalance)))!.quantity;
}

describe('PostgreSQL transactions', () => {
  it('retries the whole work when the drill fails transactions at random statements, and applies each once', async () => {
    const url = await testDatabaseUrl();
    const db = pgDb(url, { max: 2, drillRate: 0.5 });
    let attempts = 0;
    for (let i = 0; i < 40; i++) {
      await db.write((tx) => {
        attempts++;
        return addOne(tx);
      });
    }
    const total = await db.read((tx) => get(tx.select({ quantity: itemBalance.quantity }).from(itemBalance)));
    await db.close();
    expect(total?.quantity).toBe(40);
    expect(attempts).toBeGreaterThan(50); // about 80 expected: half of the attempts fail
  });

  it('retries a statement run on its own (a read, a one-statement write) when the drill fails it, and applies it once', async () => {
    const url = await testDatabaseUrl();
    const db = pgDb(url, { max: 2, drillRate: 0.5 });
    await db.write(function* (tx) {
      yield* run(tx.insert(itemBalance).values({ ...counter, quantity: 0, debt: 0, nextEventAt: null, settledAt: 0 }));
    });
    let attempts = 0;
    for (let i = 0; i < 40; i++) {
      await db.read((tx) => {
        attempts++;
        return run(tx.update(itemBalance).set({ quantity: sql`${itemBalance.quantity} + 1` }));
      });
    }
    const total = await db.read((tx) => get(tx.select({ quantity: itemBalance.quantity }).from(itemBalance)));
    await db.close();
    expect(total?.quantity).toBe(40);
    expect(attempts).toBeGreaterThan(50);
  });

  it('reports an unreachable database as DATABASE_UNAVAILABLE, not as a bug', async () => {
    const db = pgDb('postgres://tally:tally@127.0.0.1:1/nowhere', { max: 1 });
    const failure = await db.read((tx) => get(tx.select().from(itemBalance))).catch((error: unknown) => error);
    await db.close();
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('database_unavailable');
    expect((failure as AppError).status).toBe(503);
  });

  it('survives PostgreSQL dropping its idle connections, and answers again at once', async () => {
    const url = await testDatabaseUrl();
    const db = pgDb(url, { max: 2 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await Promise.all([db.ping(), db.ping()]); // two idle connections in the pool
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const ended = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    await admin.end();
    expect(ended.rowCount).toBeGreaterThanOrEqual(2);
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(2), { timeout: 5000 });
    expect(warn).toHaveBeenCalled();
    await db.ping();
    await db.close();
    warn.mockRestore();
  });
});
