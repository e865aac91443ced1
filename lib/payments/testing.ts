import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { createTestDb, insertUser } from '../../db/testing';
import { createTeam } from '../auth/teams';
import type { CustomerRef } from './customer-ref';
import { getQuantity } from './items';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 15, 12);

/** A migrated database, a user and a team, and a clock the test moves. */
export function setup() {
  const db = createTestDb();
  const userId = insertUser(db);
  const user: CustomerRef = { type: 'user', id: userId };
  const team: CustomerRef = { type: 'team', id: createTeam(db, userId, 'Acme').id };
  const clock = { now: T0 };
  const quantity = (customer: CustomerRef, itemId: string) => getQuantity(db, { customer, itemId }, clock.now);
  return { db, user, team, clock, quantity };
}

/** Σ ledger deltas for one item: must always equal its balance. */
export function ledgerSum(db: Db, customer: CustomerRef, itemId: string): number {
  const row = db.get<{ total: number | null }>(
    sql`select sum(delta) as total from item_ledger where customer_type = ${customer.type} and customer_id = ${customer.id} and item_id = ${itemId}`,
  );
  return row.total ?? 0;
}
