import { and, asc, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../../db';
import { itemBalance, itemGrant, itemLedger, type ItemGrant, type ItemLedgerEntry } from '../../db/schema';
import { isCustomer, type ItemKey } from './customer-ref';

/**
 * Quantities as grants plus debt. Every function here runs inside the caller's write transaction
 * and keeps `item_balance.quantity = Σ remaining of live grants − debt`, writing one ledger row per
 * change. Spending draws from the soonest-expiring grant first; what no grant covers becomes debt,
 * which the next grant pays off first.
 */

type Reason = ItemLedgerEntry['reason'];
export type LedgerSource = { purchaseId?: string | null; stripeEventId?: string | null };

const balanceOf = (key: ItemKey) => and(isCustomer(itemBalance, key.customer), eq(itemBalance.itemId, key.itemId));

export function getOrCreateBalance(tx: Queryable, key: ItemKey, at: number) {
  const existing = tx.select().from(itemBalance).where(balanceOf(key)).get();
  if (existing) return existing;
  const row = { customerType: key.customer.type, customerId: key.customer.id, itemId: key.itemId, quantity: 0, debt: 0, nextEventAt: null, settledAt: at };
  tx.insert(itemBalance).values(row).run();
  return row;
}

function writeLedger(tx: Queryable, key: ItemKey, delta: number, reason: Reason, at: number, source: LedgerSource & { grantId?: number }) {
  const balance = tx.select({ quantity: itemBalance.quantity }).from(itemBalance).where(balanceOf(key)).get();
  tx.insert(itemLedger)
    .values({
      customerType: key.customer.type,
      customerId: key.customer.id,
      itemId: key.itemId,
      delta,
      balanceAfter: balance?.quantity ?? 0,
      reason,
      purchaseId: source.purchaseId ?? null,
      grantId: source.grantId ?? null,
      stripeEventId: source.stripeEventId ?? null,
      createdAt: at,
    })
    .run();
}

export type NewGrant = LedgerSource & {
  quantity: number;
  expiresAt: number | null;
  windowIndex?: number | null;
  reason: Reason;
};

/** Adds a grant; returns false when that purchase window was granted before (a retry). */
export function addGrant(tx: Queryable, key: ItemKey, grant: NewGrant, at: number): boolean {
  const balance = getOrCreateBalance(tx, key, at);
  const payOff = Math.min(balance.debt, grant.quantity);
  const inserted = tx
    .insert(itemGrant)
    .values({
      customerType: key.customer.type,
      customerId: key.customer.id,
      itemId: key.itemId,
      purchaseId: grant.purchaseId ?? null,
      windowIndex: grant.windowIndex ?? null,
      quantity: grant.quantity,
      remaining: grant.quantity - payOff,
      grantedAt: at,
      expiresAt: grant.expiresAt,
    })
    .onConflictDoNothing()
    .returning({ id: itemGrant.id })
    .get();
  if (!inserted) return false;
  // An expiring grant is a future event: reads must settle once it is due.
  const nextEventAt =
    grant.expiresAt === null ? itemBalance.nextEventAt : sql`min(coalesce(${itemBalance.nextEventAt}, ${grant.expiresAt}), ${grant.expiresAt})`;
  tx.update(itemBalance)
    .set({ quantity: sql`${itemBalance.quantity} + ${grant.quantity}`, debt: sql`${itemBalance.debt} - ${payOff}`, nextEventAt })
    .where(balanceOf(key))
    .run();
  writeLedger(tx, key, grant.quantity, grant.reason, at, { ...grant, grantId: inserted.id });
  return true;
}

/** Takes `amount` from live grants, soonest-expiring first (never-expiring last); returns what is left uncovered. */
function drawFromGrants(tx: Queryable, key: ItemKey, amount: number): number {
  let left = amount;
  const grants = tx
    .select({ id: itemGrant.id, remaining: itemGrant.remaining })
    .from(itemGrant)
    .where(and(isCustomer(itemGrant, key.customer), eq(itemGrant.itemId, key.itemId), gt(itemGrant.remaining, 0)))
    .orderBy(sql`${itemGrant.expiresAt} is null`, asc(itemGrant.expiresAt), asc(itemGrant.id))
    .all();
  for (const grant of grants) {
    if (left === 0) break;
    const take = Math.min(left, grant.remaining);
    tx.update(itemGrant)
      .set({ remaining: grant.remaining - take })
      .where(eq(itemGrant.id, grant.id))
      .run();
    left -= take;
  }
  return left;
}

/** Spends `amount` whatever the balance: what grants do not cover becomes debt. */
export function takeQuantity(tx: Queryable, key: ItemKey, amount: number, reason: Reason, at: number, source: LedgerSource = {}) {
  getOrCreateBalance(tx, key, at);
  const uncovered = drawFromGrants(tx, key, amount);
  tx.update(itemBalance)
    .set({ quantity: sql`${itemBalance.quantity} - ${amount}`, debt: sql`${itemBalance.debt} + ${uncovered}` })
    .where(balanceOf(key))
    .run();
  writeLedger(tx, key, -amount, reason, at, source);
}

/** What is left of a grant drops out when it expires. */
export function expireGrant(tx: Queryable, key: ItemKey, grant: Pick<ItemGrant, 'id' | 'remaining' | 'expiresAt' | 'purchaseId'>) {
  const at = grant.expiresAt!;
  tx.update(itemGrant).set({ remaining: 0 }).where(eq(itemGrant.id, grant.id)).run();
  tx.update(itemBalance)
    .set({ quantity: sql`${itemBalance.quantity} - ${grant.remaining}` })
    .where(balanceOf(key))
    .run();
  writeLedger(tx, key, -grant.remaining, 'expiry', at, { purchaseId: grant.purchaseId, grantId: grant.id });
}

/**
 * Takes back a grant that has not expired: what is left of it, and what was spent of it from the
 * other grants or as debt (a refund can arrive after the credits were used).
 */
export function revokeGrant(tx: Queryable, key: ItemKey, grant: ItemGrant, at: number, source: LedgerSource) {
  if (grant.revokedAt !== null) return;
  tx.update(itemGrant).set({ remaining: 0, revokedAt: at }).where(eq(itemGrant.id, grant.id)).run();
  if (grant.expiresAt !== null && grant.expiresAt <= at) return;
  const uncovered = drawFromGrants(tx, key, grant.quantity - grant.remaining);
  tx.update(itemBalance)
    .set({ quantity: sql`${itemBalance.quantity} - ${grant.quantity}`, debt: sql`${itemBalance.debt} + ${uncovered}` })
    .where(balanceOf(key))
    .run();
  writeLedger(tx, key, -grant.quantity, 'refund', at, { ...source, grantId: grant.id });
}

/** The earliest live grant that has expired by `now`, if any. */
export function nextExpiredGrant(tx: Queryable, key: ItemKey, now: number) {
  return tx
    .select({ id: itemGrant.id, remaining: itemGrant.remaining, expiresAt: itemGrant.expiresAt, purchaseId: itemGrant.purchaseId })
    .from(itemGrant)
    .where(and(isCustomer(itemGrant, key.customer), eq(itemGrant.itemId, key.itemId), gt(itemGrant.remaining, 0), lte(itemGrant.expiresAt, now)))
    .orderBy(asc(itemGrant.expiresAt), asc(itemGrant.id))
    .get();
}

/** The earliest future expiry of a live grant, if any. */
export function nextExpiryAfter(tx: Queryable, key: ItemKey, now: number): number | null {
  const row = tx
    .select({ at: sql<number | null>`min(${itemGrant.expiresAt})` })
    .from(itemGrant)
    .where(and(isCustomer(itemGrant, key.customer), eq(itemGrant.itemId, key.itemId), gt(itemGrant.remaining, 0), gt(itemGrant.expiresAt, now)))
    .get();
  return row?.at ?? null;
}

export function setNextEvent(tx: Queryable, key: ItemKey, nextEventAt: number | null, now: number) {
  tx.update(itemBalance).set({ nextEventAt, settledAt: now }).where(balanceOf(key)).run();
}

export function readBalance(tx: Queryable, key: ItemKey) {
  return tx.select({ quantity: itemBalance.quantity, nextEventAt: itemBalance.nextEventAt }).from(itemBalance).where(balanceOf(key)).get();
}

export function grantsOfPurchase(tx: Queryable, purchaseId: string) {
  return tx
    .select()
    .from(itemGrant)
    .where(and(eq(itemGrant.purchaseId, purchaseId), isNull(itemGrant.revokedAt)))
    .all();
}
