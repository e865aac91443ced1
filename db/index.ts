import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { getEnv } from '../lib/env';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The database or an open transaction: what read and write helpers take. */
export type Queryable = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

/**
 * WAL lets readers run beside the one writer; busy_timeout makes a second writer (another
 * request, another process) wait for the lock instead of failing with SQLITE_BUSY.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return drizzle(sqlite, { schema });
}

export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder });
}

const cache = globalThis as { tallyDb?: Db };

/** Opened on first use, never at import: `next build` must not create or read the database. */
export function getDb(): Db {
  cache.tallyDb ??= openDatabase(getEnv().databaseFile);
  return cache.tallyDb;
}
