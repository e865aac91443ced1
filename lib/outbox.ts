import { and, asc, eq, getTableColumns, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db';
import { all, run, statement } from '../db/work';
import { systemClock, type Clock } from './clock';
import { withTimeout } from './timeout';

/**
 * Work recorded in the transaction of the change it follows (a purchase hook to run, a notice to
 * mail) and done after the commit: rows are leased in batches, so instances dispatching at once do
 * each once, then handled one by one; a row that fails is retried later, a bounded number of times.
 * Every statement here is atomic by itself: none needs a transaction (`db.read`).
 */

/** Rows leased by one statement; a dispatch usually finds one or none. */
export const OUTBOX_BATCH = 10;
/** A row that failed this often is given up, 1 + 2 + … + 256 s (about 8.5 minutes) after its first failure. */
const MAX_ATTEMPTS = 10;
/** For the batch's own statements (one write per row) beside its handlers. */
const LEASE_MARGIN_MS = 60_000;

/** How long a row waits after a failure, given how often it had failed before: 1 s, 2 s, 4 s… */
const retryDelayMs = (failedBefore: number) => 1000 * 2 ** failedBefore;

/**
 * A batch's lease, long enough whatever the number of handlers: the batch's rows run one after
 * another, each row's handlers one after another, each given up (its signal aborted) at
 * `timeoutMs`, so OUTBOX_BATCH × handlers × timeoutMs after the lease is taken every handler of the
 * batch is done or given up, and LEASE_MARGIN_MS is left for the batch's writes. Should the writes
 * take longer (a locked database), `dispatch` starts no row whose handlers could outlast its lease:
 * no row runs while another instance may lease it.
 */
export const leaseMs = (handlers: number, timeoutMs: number) => OUTBOX_BATCH * handlers * timeoutMs + LEASE_MARGIN_MS;

/** One step of handling a row; `signal` aborts when it has taken the outbox's `timeoutMs`. */
export type OutboxHandler<Row> = (row: Row, signal: AbortSignal) => Promise<void>;

type Key<T extends SQLiteTable> = keyof T['$inferSelect'] & keyof T['_']['columns'] & string;

export type OutboxTable<T extends SQLiteTable> = {
  /** What a row is, in logs. */
  name: string;
  table: T;
  /** The columns the outbox keeps, by their property names. `dueAt`: when the row may run (again): the end of a lease or of a wait. */
  columns: { id: Key<T>; order: Key<T>; handledAt: Key<T>; dueAt: Key<T>; attempts: Key<T>; lastError?: Key<T> };
  /** The longest one handler may take. */
  timeoutMs: number;
};

export type Outbox<Row> = {
  /**
   * Handles every due row, oldest first: each handler in turn, each within the timeout. `clock`'s
   * first reading is the dispatch's time (what is due, when it was handled, when a failure is
   * retried); later readings time the leases.
   */
  dispatch(db: Db, handlers: OutboxHandler<Row>[], clock: Clock): Promise<void>;
};

export function defineOutbox<T extends SQLiteTable>({ name, table, columns: keys, timeoutMs }: OutboxTable<T>): Outbox<T['$inferSelect']> {
  type Row = T['$inferSelect'];
  const column = (key: Key<T>) => getTableColumns(table)[key] as SQLiteColumn;
  const [id, order, handledAt, dueAt, attempts] = [column(keys.id), column(keys.order), column(keys.handledAt), column(keys.dueAt), column(keys.attempts)];
  const set = (values: Record<string, SQL | null>) => values as SQLiteUpdateSetSource<T>;
  const now = sql.placeholder('now');
  const due = and(isNull(handledAt), lt(attempts, MAX_ATTEMPTS), or(isNull(dueAt), lte(dueAt, now)));

  /** The oldest due rows; one another instance leased meanwhile no longer matches `due` when the outer WHERE checks it again. */
  const leaseStatement = statement(
    (tx) =>
      tx
        .update(table)
        .set(set({ [keys.dueAt]: sql`${sql.placeholder('until')}` }))
        .where(and(due, inArray(id, tx.select({ id }).from(table).where(due).orderBy(asc(order)).limit(OUTBOX_BATCH))))
        // drizzle cannot resolve what `returning()` gives for a generic table: its rows.
        .returning() as unknown as { all(params: Record<string, unknown>): Row[] },
  );
  const handledStatement = statement((tx) =>
    tx
      .update(table)
      .set(set({ [keys.handledAt]: sql`${now}`, ...(keys.lastError ? { [keys.lastError]: null } : {}) }))
      .where(eq(id, sql.placeholder('id'))),
  );
  const failedStatement = statement((tx) =>
    tx
      .update(table)
      .set(
        set({
          [keys.attempts]: sql`${attempts} + 1`,
          [keys.dueAt]: sql`${sql.placeholder('retryAt')}`,
          ...(keys.lastError ? { [keys.lastError]: sql`${sql.placeholder('error')}` } : {}),
        }),
      )
      .where(eq(id, sql.placeholder('id'))),
  );

  async function handle(db: Db, row: Row, handlers: OutboxHandler<Row>[], now: number): Promise<void> {
    try {
      for (const handler of handlers) await withTimeout((signal) => handler(row, signal), timeoutMs);
      await db.read(() => run(handledStatement, { id: row[keys.id], now }));
    } catch (error) {
      const failedBefore = row[keys.attempts] as number;
      console.error(`${name} ${String(row[keys.id])} failed (attempt ${failedBefore + 1} of ${MAX_ATTEMPTS})`, error);
      const message = String(error instanceof Error ? error.message : error);
      await db.read(() => run(failedStatement, { id: row[keys.id], retryAt: now + retryDelayMs(failedBefore), error: message }));
    }
  }

  async function dispatch(db: Db, handlers: OutboxHandler<Row>[], clock: Clock): Promise<void> {
    const now = clock();
    const worstRowMs = handlers.length * timeoutMs;
    for (;;) {
      // Each batch's lease runs from when it is taken, not from when the dispatch began.
      const until = clock() + leaseMs(handlers.length, timeoutMs);
      const leased = await db.read(() => all(leaseStatement, { now, until }));
      for (const row of leased.sort((a, b) => (a[keys.order] as number) - (b[keys.order] as number))) {
        if (clock() + worstRowMs >= until) break; // the writes took longer than planned: the rest wait for their lease to end
        await handle(db, row, handlers, now);
      }
      if (leased.length < OUTBOX_BATCH) return;
    }
  }

  return { dispatch };
}

/**
 * A clock whose first reading is `now` and which then moves on with the wall clock: for a dispatch
 * told its time (a test's, a request's), which still has to time its leases.
 */
export function clockFrom(now: number): Clock {
  let started: number | undefined;
  return () => {
    const wall = systemClock();
    started ??= wall;
    return now + wall - started;
  };
}
