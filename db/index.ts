import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { getEnv } from '../lib/env';
import * as schema from './schema';
import { runSync, type Work } from './work';

/** The drizzle database: better-auth's adapter, migrations, the seed and test fixtures use it directly. */
export type Orm = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** What queries are built on inside work (./work.ts): the database or an open transaction. */
export type Tx = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

/**
 * The storage boundary every entry point of lib/ takes. `write` runs work in one write
 * transaction, `read` runs it without one (each query on its own); both resolve when done.
 */
export type Db = {
  orm: Orm;
  write<T>(work: (tx: Tx) => Work<T>): Promise<T>;
  read<T>(work: (tx: Tx) => Work<T>): Promise<T>;
  /** Resolves when the database answers (the health route). */
  ping(): Promise<void>;
};

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

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
  return openSqlite(file, schema);
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
    orm,
    write: async (work) => orm.$client.transaction(() => runSync(work(orm), orm)).immediate(),
    read: async (work) => runSync(work(orm), orm),
    ping: async () => void orm.$client.prepare('select 1').get(),
  };
}

const cache = globalThis as { tallyDb?: Db };

/** Opened on first use, never at import: `next build` must not create or read the database. */
export function getDb(): Db {
  cache.tallyDb ??= sqliteDb(openDatabase(getEnv().databaseFile));
  return cache.tallyDb;
}
