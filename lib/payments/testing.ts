import { randomUUID } from 'node:crypto';
import { and, eq, gt, sum } from 'drizzle-orm';
import type { Db } from '../../db';
import { itemBalance, itemDebt, itemGrant, itemLedger } from '../../db/schema';
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

/**
 * What the ledger's invariants compare for one item: the balance row, the live grants' remaining,
 * the balance's debt and the open debt rows, and the ledger's sum. Settle (read the quantity at
 * the time of interest) first.
 */
export async function itemTotals(db: Db, customer: CustomerRef, itemId: string) {
  return db.read(function* (tx) {
    const balance = yield* get(
      tx
        .select({ quantity: itemBalance.quantity, debt: itemBalance.debt })
        .from(itemBalance)
        .where(and(isCustomer(itemBalance, customer), eq(itemBalance.itemId, itemId))),
    );
    const grants = yield* get(
      tx
        .select({ total: sum(itemGrant.remaining).mapWith(Number) })
        .from(itemGrant)
        .where(and(isCustomer(itemGrant, customer), eq(itemGrant.itemId, itemId), gt(itemGrant.remaining, 0))),
    );
    const debts = yield* get(
      tx
        .select({ total: sum(itemDebt.remaining).mapWith(Number) })
        .from(itemDebt)
        .where(and(isCustomer(itemDebt, customer), eq(itemDebt.itemId, itemId))),
    );
    const ledger = yield* get(
      tx
        .select({ total: sum(itemLedger.delta).mapWith(Number) })
        .from(itemLedger)
        .where(and(isCustomer(itemLedger, customer), eq(itemLedger.itemId, itemId))),
    );
    return {
      balance: balance?.quantity ?? 0,
      liveRemaining: grants?.total ?? 0,
      debt: balance?.debt ?? 0,
      openDebt: debts?.total ?? 0,
      ledger: ledger?.total ?? 0,
    };
  });
}
