import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { databaseUnavailable, isDatabaseUnavailable } from '../lib/errors';
import { getEnv } from '../lib/env';
import { tables } from './schema';
import { isStatement, runSync, type Step, type Work } from './work';

/** The drizzle database: better-auth's adapter, migrations, the seed and test fixtures use it directly. */
export type Orm = BetterSQLite3Database<typeof tables> & { $client: Database.Database };
/** What queries are built on inside work (./work.ts): the database or an open transaction. */
export type Tx = BaseSQLiteDatabase<'sync', Database.RunResult, typeof tables>;

/**
 * The storage boundary every entry point of lib/ takes. `write` runs work in one write
 * transaction, `read` runs it without one (each query on its own); both resolve when done. A
 * single statement is atomic by itself: a write of one statement may use `read`, which spares
 * PostgreSQL two round trips (BEGIN, COMMIT).
 */
export type Db = {
  dialect: 'sqlite' | 'postgres';
  /** The drizzle database, typed as SQLite's (on PostgreSQL the same calls reach node-postgres). */
  orm: Orm;
  write<T>(work: (tx: Tx) => Work<T>): Promise<T>;
  read<T>(work: (tx: Tx) => Work<T>): Promise<T>;
  /** Resolves when the database answers (the health route). */
  ping(): Promise<void>;
  /** Applies pending migrations of its dialect. */
  migrate(): Promise<void>;
  /** How many of the repository's migrations the database has not applied yet. */
  pendingMigrations(): Promise<number>;
  close(): Promise<void>;
};

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');
const pgMigrationsFolder = path.join(process.cwd(), 'db', 'migrations-pg');

/**
 * WAL lets readers run beside the one writer; busy_timeout makes a second writer (another
 * request, another process) wait for the lock instead of failing with SQLITE_BUSY.
 */
export function openSqlite<S extends Record<string, unknown>>(file: string, tables: S): BetterSQLite3Database<S> & { $client: Database.Database } {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  reusePreparedStatements(sqlite);
  return drizzle(sqlite, { schema: tables });
}

export function openDatabase(file: string): Orm {
  const orm = openSqlite(file, tables);
  if (getEnv().benchRoutes) countStatements(orm.$client);
  return orm;
}

/**
 * What this process sent to its database, counted only for `npm run bench` (TALLY_BENCH_ROUTES=1),
 * which prints it per request beside its ratios. `roundTrips`: PostgreSQL queries, BEGIN and COMMIT
 * included (each waits for the network); `statements`: SQL statements, transaction control excluded.
 * On globalThis: Next.js may load this module twice in one process.
 */
export type QueryCount = { roundTrips: number; statements: number };
const counter = globalThis as { tallyQueryCount?: QueryCount };
const queryCounter = () => (counter.tallyQueryCount ??= { roundTrips: 0, statements: 0 });

export function queryCount(): QueryCount {
  return { ...queryCounter() };
}

const counting = Symbol('counting');

/** SQLite: every execution of a prepared statement (drizzle's queries all are). */
function countStatements(sqlite: Database.Database) {
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source) as Database.Statement & { [counting]?: true };
    if (!statement[counting]) {
      statement[counting] = true;
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const execute = statement[method].bind(statement) as (...args: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          queryCounter().statements++;
          return execute(...args);
        };
      }
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/** PostgreSQL: every query a pooled connection sends is one round trip. */
function countRoundTrips(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const count = queryCounter();
    count.roundTrips++;
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (!/^\s*(begin|commit|rollback)\b/i.test(text ?? '')) count.statements++;
    return query(...args);
  }) as typeof client.query;
}

/**
 * drizzle prepares every query anew on each call; compiling the same SQL again dominated the cost
 * of small queries (profiled). Statements are cached per connection by their SQL text. drizzle
 * switches a statement to raw mode for mapped selects, so a cached reader is handed out in its
 * default mode.
 */
function reusePreparedStatements(sqlite: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size >= 2000) cache.clear(); // bound memory if some query's text varies without end
      cache.set(source, statement);
    } else if (statement.reader) {
      statement.raw(false);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * Migrations in drizzle-kit's journal newer than the last one the database applied: drizzle's
 * migrator records each by its journal time (`created_at`), and applies those after the newest.
 */
function countPending(folder: string, lastAppliedAt: number | null): number {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return journal.entries.filter((entry) => lastAppliedAt === null || entry.when > lastAppliedAt).length;
}

export function migrateDatabase(db: Orm): void {
  migrate(db, { migrationsFolder });
}

/**
 * SQLite: work runs synchronously, so a write transaction is better-sqlite3's IMMEDIATE
 * transaction around the whole of it (the write lock first: no other connection or process can
 * slip between a read and the write it decides).
 */
export function sqliteDb(orm: Orm): Db {
  return {
    dialect: 'sqlite',
    orm,
    write: async (work) => orm.$client.transaction(() => runSync(work(orm), orm)).immediate(),
    read: async (work) => runSync(work(orm), orm),
    ping: async () => void orm.$client.prepare('select 1').get(),
    migrate: async () => migrateDatabase(orm),
    async pendingMigrations() {
      const exists = orm.$client.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
      const last = exists ? (orm.$client.prepare('select max(created_at) as at from __drizzle_migrations').get() as { at: number | null }).at : null;
      return countPending(migrationsFolder, last === null ? null : Number(last));
    },
    close: async () => void orm.$client.close(),
  };
}

type PgOrm = NodePgDatabase<typeof tables> & { $client: pg.Pool | pg.PoolClient };
type Prepared = { execute(params?: Record<string, unknown>): Promise<unknown> };
type Executable = PromiseLike<unknown> & { prepare(name: string): Prepared; toSQL(): { sql: string } };

/**
 * A drizzle database per pooled connection, made once: a statement is built and prepared by name
 * on it once (node-postgres keeps the server-side statement), never rebuilt per transaction.
 */
const connections = new WeakMap<pg.PoolClient, PgOrm>();

function onConnection(client: pg.PoolClient): PgOrm {
  let orm = connections.get(client);
  if (!orm) {
    orm = drizzlePg(client, { schema: tables as never }) as unknown as PgOrm;
    connections.set(client, orm);
  }
  return orm;
}

/**
 * A server-side statement's name, from its SQL: node-postgres refuses one name for two texts on a
 * connection, and Next.js may load a module twice in one process (each copy its own statements), so
 * names cannot come from a counter. Equal SQL shares one prepared statement, which is harmless.
 */
const statementName = (text: string) => `tally_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;

/**
 * Drives work asynchronously inside a PostgreSQL transaction (or on the pool, for reads). `failAt`:
 * the test drill (`TALLY_TEST_TRANSACTION_FAILURES`) fails the transaction before that statement,
 * or before its commit if it has fewer.
 */
async function runAsync<T>(work: Work<T>, tx: PgOrm, failAt = Number.POSITIVE_INFINITY): Promise<T> {
  let step = work.next();
  for (let index = 0; !step.done; index++) {
    if (index === failAt) throw drillFailure();
    step = work.next(await execute(step.value, tx));
  }
  if (Number.isFinite(failAt)) throw drillFailure();
  return step.value;
}

/** What PostgreSQL throws when it aborts a transaction for a serialization failure or a deadlock. */
function drillFailure() {
  const code = Math.random() < 0.5 ? '40001' : '40P01';
  return Object.assign(new Error(`transaction failed on purpose (TALLY_TEST_TRANSACTION_FAILURES): ${code}`), { code });
}

async function execute({ query, mode, params }: Step, tx: PgOrm): Promise<unknown> {
  if (mode === 'lock') {
    await tx.$client.query({ name: 'tally_lock', text: 'select pg_advisory_xact_lock(hashtext($1))', values: [query] });
    return undefined;
  }
  let result: unknown;
  if (isStatement(query)) {
    let prepared = query.built.get(tx) as Prepared | undefined;
    if (!prepared) {
      const built = query.build(tx as unknown as Tx) as unknown as Executable;
      prepared = built.prepare(statementName(built.toSQL().sql));
      query.built.set(tx, prepared as never);
    }
    result = await prepared.execute(params);
  } else {
    result = await (query as Executable);
  }
  const rows = Array.isArray(result) ? result : null;
  if (mode === 'get') return rows?.[0];
  if (mode === 'all') return rows ?? [];
  return rows ? rows.length : ((result as pg.QueryResult).rowCount ?? 0);
}

/** Serialization failures, deadlocks, and a unique key another transaction took first: retry the whole work. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;

function pgCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return (error as { code?: string }).code ?? cause?.code;
}

/** One transaction on one pooled connection; a connection whose rollback fails is discarded, not reused. */
async function transaction<T>(pool: pg.Pool, work: (tx: Tx) => Work<T>, failAt?: number): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    const tx = onConnection(client);
    const result = await runAsync(work(tx as unknown as Tx), tx, failAt);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * PostgreSQL: READ COMMITTED transactions, awaited query by query. What SQLite's one write lock
 * gives for free is explicit here: conditional UPDATEs, unique keys with ON CONFLICT, `lock()`
 * (advisory locks) where work reads then writes. Deadlocks, serialization failures and lost
 * unique-key races are retried a bounded number of times, then reported.
 */
export function pgDb(url: string, options: { max?: number; drillRate?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle pooled connection that PostgreSQL drops (a restart, a failover, an idle timeout) emits
  // 'error' on the pool: without a listener that is an uncaught exception. The pool discards it.
  pool.on('error', (error) => console.warn(`PostgreSQL closed an idle connection: ${error.message}`));
  if (getEnv().benchRoutes) pool.on('connect', countRoundTrips);
  const drillRate = options.drillRate ?? getEnv().testTransactionFailures;
  /** Outages become one AppError (503 DATABASE_UNAVAILABLE, the error page); everything else passes. */
  const reportOutage = (error: unknown): never => {
    throw isDatabaseUnavailable(error) ? databaseUnavailable() : error;
  };
  const orm = drizzlePg(pool, { schema: tables as never }) as unknown as PgOrm;
  /**
   * Runs an attempt until it succeeds or fails for good. `drillSteps`: where the drill may fail an
   * attempt (before which statement, or before commit); never the last attempt, since the drill
   * proves retries, not the bound on them.
   */
  async function retrying<T>(drillSteps: number, attempt: (failAt: number | undefined) => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt(n < MAX_ATTEMPTS && Math.random() < drillRate ? Math.floor(Math.random() * drillSteps) : undefined);
      } catch (error) {
        if (n >= MAX_ATTEMPTS || !RETRYABLE.has(pgCode(error) ?? '')) reportOutage(error);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * n));
      }
    }
  }
  return {
    dialect: 'postgres',
    orm: orm as unknown as Orm,
    write: (work) => retrying(12, (failAt) => transaction(pool, work, failAt)),
    // Each statement commits on its own: one that aborts (a deadlock, a one-statement write such as
    // `tally_try_decrease` losing a race) changed nothing and is retried; the drill fails only
    // before the first statement, never after one has committed.
    read: (work) => retrying(1, (failAt) => runAsync(work(orm as unknown as Tx), orm, failAt)),
    ping: async () => void (await pool.query('select 1').catch(reportOutage)),
    async migrate() {
      // Two deploys migrating at once: the second waits, then finds nothing to do.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(hashtext($1))', ['tally:migrate']);
        await migratePg(drizzlePg(client), { migrationsFolder: pgMigrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', ['tally:migrate']).catch(() => undefined);
        client.release();
      }
    },
    async pendingMigrations() {
      const table = await pool.query<{ name: string | null }>("select to_regclass('drizzle.__drizzle_migrations') as name");
      const last = table.rows[0]?.name
        ? (await pool.query<{ at: string | null }>('select max(created_at) as at from drizzle.__drizzle_migrations')).rows[0]?.at
        : null;
      return countPending(pgMigrationsFolder, last === null || last === undefined ? null : Number(last));
    },
    close: () => pool.end(),
  };
}

export type DatabaseTarget = ReturnType<typeof getEnv>['database'];

/** The database DATABASE_URL names: a PostgreSQL pool or a SQLite file. */
export function openDb(database: DatabaseTarget): Db {
  return database.dialect === 'postgres' ? pgDb(database.url) : sqliteDb(openDatabase(database.file));
}

const cache = globalThis as { tallyDb?: Db };

/** Opened on first use, never at import: `next build` must not create or read the database. */
export function getDb(): Db {
  cache.tallyDb ??= openDb(getEnv().database);
  return cache.tallyDb;
}
