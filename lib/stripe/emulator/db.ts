import path from 'node:path';
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { openSqlite } from '../../../db';
import { getEnv } from '../../env';
import * as schema from './schema';

export type EmulatorDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The emulator's database or an open transaction. */
export type EmulatorQueryable = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

const migrationsFolder = path.join(process.cwd(), 'lib', 'stripe', 'emulator', 'migrations');

/** The emulator's own SQLite file, migrated on open: a test double's store, never the app's database. */
export function openEmulatorDb(file: string): EmulatorDb {
  const db = openSqlite(file, schema);
  migrate(db, { migrationsFolder });
  return db;
}

const cache = globalThis as { tallyEmulatorDb?: EmulatorDb };

/** Opened on first use in the process that runs or shows the emulator; every such process shares the file. */
export function getEmulatorDb(): EmulatorDb {
  const { stripe } = getEnv();
  if (!stripe.emulator) throw new Error('The Stripe emulator is off: STRIPE_SECRET_KEY is set.');
  cache.tallyEmulatorDb ??= openEmulatorDb(stripe.databaseFile);
  return cache.tallyEmulatorDb;
}
