import { randomUUID } from 'node:crypto';
import { and, eq, sum } from 'drizzle-orm';
import type { Db } from '../../db';
import { itemLedger } from '../../db/schema';
import { createTestDb, insertUser } from '../../db/testing';
import { get } from '../../db/work';
import { createTeam } from '../auth/teams';
import { isCustomer, type CustomerRef } from './customer-ref';
import { catalog } from './catalog';
import { getQuantity } from './items';
import { createPurchase } from './purchases';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 15, 12);

/** A migrated database, a user and a team, and a clock the test moves. */
export async function setup() {
  const db = await createTestDb();
  const userId = await insertUser(db);
  const user: CustomerRef = { type: 'user', id: userId };
  const team: CustomerRef = { type: 'team', id: (await createTeam(db, userId, 'Acme')).id };
  const clock = { now: T0 };
  const quantity = (customer: CustomerRef, itemId: string) => getQuantity(db, { customer, itemId }, clock.now);
  return { db, user, team, clock, quantity };
}

/** Σ ledger deltas for one item: must always equal its balance. */
export async function ledgerSum(db: Db, customer: CustomerRef, itemId: string): Promise<number> {
  const row = await db.read((tx) =>
    get(
      tx
        .select({ total: sum(itemLedger.delta).mapWith(Number) })
        .from(itemLedger)
        .where(and(isCustomer(itemLedger, customer), eq(itemLedger.itemId, itemId))),
    ),
  );
  return row?.total ?? 0;
}

/** A live Stripe subscription of a catalog product, as its webhook would record it. */
export function insertSubscription(db: Db, customer: CustomerRef, productId: string, { startedAt, paidThrough }: { startedAt: number; paidThrough: number }) {
  const purchase = {
    customer,
    productId,
    product: catalog.products[productId]!,
    quantity: 1,
    source: 'stripe' as const,
    status: 'active' as const,
    startedAt,
    paidThrough,
    stripeSubscriptionId: `sub_${randomUUID()}`,
  };
  return db.write((tx) => createPurchase(tx, purchase, startedAt));
}
