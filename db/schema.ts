import { databaseDialect } from '../lib/env';
import * as pg from './schema-pg';
import * as sqlite from './schema-sqlite';

/**
 * The app's tables for the dialect DATABASE_URL selects, decided once when this module loads.
 * Queries are typed with the SQLite description; ./schema.test.ts keeps the PostgreSQL twin the
 * same in tables, columns, uniques and indexes, and both return the same JavaScript values
 * (integers as numbers, booleans, JSON as objects, timestamps as Dates).
 */
export const tables = (databaseDialect() === 'postgres' ? pg : sqlite) as unknown as typeof sqlite;

export const {
  user,
  session,
  account,
  verification,
  organization,
  member,
  invitation,
  userRelations,
  sessionRelations,
  accountRelations,
  organizationRelations,
  memberRelations,
  invitationRelations,
  signInThrottle,
  purchase,
  itemGrant,
  itemBalance,
  itemDebt,
  itemLedger,
  stripeCustomer,
  stripeEvent,
  purchaseChange,
  activityNote,
  apiKey,
  idempotencyKey,
  mailOutbox,
  notice,
} = tables;

export type { ItemGrant, ItemLedgerEntry, Purchase } from './schema-sqlite';
