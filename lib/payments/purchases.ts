import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db';
import { itemGrant, purchase } from '../../db/schema';
import { run, statement, type Work } from '../../db/work';
import { grantsOfPurchase, holdRevokedWindow, revokeGrant, type LedgerSource } from './ledger';
import { recordPurchaseChange } from './purchase-hooks';
import { getPurchase, insertPurchase, type NewPurchase, type PurchaseRow } from './purchase-rows';
import { lockedPurchases, settleCustomer, settleCustomerIfDue, windowsStartingIn } from './settlement';

/**
 * Changes to purchases (buy, end, refund, renew), each followed by settling what it changed. Each
 * reads the purchase it changes under its customer's lock (`lockPurchase`), never before: a
 * change decided on a row read earlier could undo one another event made meanwhile.
 */

const INFINITY = Number.POSITIVE_INFINITY;

/**
 * Records a purchase; one of a product line ends whatever else of that line was live. `purchases`:
 * the customer's, when the caller already read them with `lockedPurchases`.
 */
export function* createPurchase(tx: Tx, input: NewPurchase, now: number, purchases?: PurchaseRow[]): Work<PurchaseRow> {
  const held = purchases ?? (yield* lockedPurchases(tx, input.customer, now));
  const row = yield* insertPurchase(tx, input, now);
  yield* recordPurchaseChange(tx, row, 'started', input.startedAt);
  const after: PurchaseRow[] = [];
  for (const p of held) {
    const replaced = row.productLine !== null && p.productLine === row.productLine && p.endedAt === null;
    after.push(replaced ? yield* closePurchase(tx, p, input.startedAt, 'ended') : p);
  }
  yield* settleCustomer(tx, input.customer, now, [...after, row]);
  return row;
}

const closeStatement = statement((tx) =>
  tx
    .update(purchase)
    .set({ endedAt: sql`${sql.placeholder('at')}`, status: sql`${sql.placeholder('status')}` })
    .where(eq(purchase.id, sql.placeholder('id'))),
);

/**
 * A purchase and its customer's purchases, read after taking that customer's locks (settlement.ts
 * `lockedPurchases`); undefined if there is no such purchase.
 */
function* lockPurchase(tx: Tx, purchaseId: string, now: number): Work<{ p: PurchaseRow; purchases: PurchaseRow[] } | undefined> {
  const found = yield* getPurchase(tx, purchaseId);
  if (!found) return undefined;
  const purchases = yield* lockedPurchases(tx, { type: found.customerType, id: found.customerId }, now);
  const p = purchases.find((row) => row.id === purchaseId)!;
  return { p, purchases };
}

const customerOf = (p: PurchaseRow) => ({ type: p.customerType, id: p.customerId });

/**
 * Marks a purchase ended at `at` and moves the expiry of grants that last while it lasts, in one
 * UPDATE; no settling. Returns the row as it is now.
 */
function* closePurchase(tx: Tx, p: PurchaseRow, at: number, status: PurchaseRow['status']): Work<PurchaseRow> {
  yield* run(closeStatement, { id: p.id, at, status });
  yield* recordPurchaseChange(tx, p, 'ended', at);
  const lastingItems = Object.entries(p.product.includedItems)
    .filter(([, included]) => included.expires !== 'never')
    .map(([itemId]) => itemId);
  if (lastingItems.length > 0) {
    const unexpired = and(isNull(itemGrant.revokedAt), or(isNull(itemGrant.expiresAt), gt(itemGrant.expiresAt, at)));
    yield* run(
      tx
        .update(itemGrant)
        .set({ expiresAt: at, useBy: sql`case when ${itemGrant.useBy} is null or ${itemGrant.useBy} > ${at} then ${at} else ${itemGrant.useBy} end` })
        .where(and(eq(itemGrant.purchaseId, p.id), inArray(itemGrant.itemId, lastingItems), unexpired)),
    );
  }
  return { ...p, endedAt: at, status };
}

/** Ends a purchase at `at`: grants that last while it lasts expire then. */
export function* endPurchase(tx: Tx, purchaseId: string, at: number, now: number, status: PurchaseRow['status'] = 'ended'): Work<void> {
  const locked = yield* lockPurchase(tx, purchaseId, now);
  if (!locked || locked.p.endedAt !== null) return;
  const closed = yield* closePurchase(tx, locked.p, at, status);
  yield* settleCustomer(
    tx,
    customerOf(closed),
    now,
    locked.purchases.map((row) => (row.id === purchaseId ? closed : row)),
  );
}

/** A refund or dispute: the purchase ends and everything it granted that still counts is taken back. */
export function* revokePurchase(tx: Tx, purchaseId: string, now: number, source: LedgerSource = {}): Work<void> {
  const locked = yield* lockPurchase(tx, purchaseId, now);
  if (!locked || locked.p.status === 'refunded') return;
  const { p } = locked;
  const customer = customerOf(p);
  yield* settleCustomerIfDue(tx, customer, now);
  yield* run(
    tx
      .update(purchase)
      .set({ status: 'refunded', endedAt: p.endedAt ?? now })
      .where(eq(purchase.id, purchaseId)),
  );
  yield* recordPurchaseChange(tx, p, 'refunded', now);
  for (const grant of yield* grantsOfPurchase(tx, purchaseId)) {
    yield* revokeGrant(tx, { customer, itemId: grant.itemId }, grant, now, { ...source, purchaseId });
  }
  yield* settleCustomer(tx, customer, now);
}

/**
 * A subscription invoice refunded in full: the windows its period paid for are taken back, with the
 * same rule as a refunded one-time purchase (what was spent of them becomes debt; a window that
 * had already been replaced at its period's end has nothing left to take). A window of that period
 * not granted yet (the refund came first, or a yearly invoice's later months) never will be.
 * The subscription itself goes on: Stripe does not cancel it for a refund.
 */
export function* revokePeriod(tx: Tx, purchaseId: string, period: { start: number; end: number }, now: number, source: LedgerSource = {}): Work<void> {
  const locked = yield* lockPurchase(tx, purchaseId, now);
  if (!locked || locked.p.status === 'refunded') return;
  const { p } = locked;
  const customer = customerOf(p);
  yield* settleCustomerIfDue(tx, customer, now);
  const grants = yield* grantsOfPurchase(tx, purchaseId, { withRevoked: true });
  for (const [itemId, included] of Object.entries(p.product.includedItems)) {
    const key = { customer, itemId };
    for (const index of windowsStartingIn(p, included, period.start, period.end)) {
      const grant = grants.find((g) => g.itemId === itemId && g.windowIndex === index);
      if (grant) yield* revokeGrant(tx, key, grant, now, { ...source, purchaseId });
      else yield* holdRevokedWindow(tx, key, purchaseId, index, now);
    }
  }
  yield* recordPurchaseChange(tx, p, 'refunded', now, `refunded:${period.start}`);
  yield* settleCustomer(tx, customer, now);
}

/** Later invoices extend what is paid for; an earlier or repeated one changes nothing. */
export function* updatePurchase(
  tx: Tx,
  purchaseId: string,
  changes: { paidThrough?: number; status?: PurchaseRow['status']; cancelAtPeriodEnd?: boolean },
  now: number,
): Work<void> {
  const locked = yield* lockPurchase(tx, purchaseId, now);
  if (!locked || locked.p.endedAt !== null) return;
  const { p } = locked;
  const next = {
    paidThrough: changes.paidThrough === undefined ? p.paidThrough : Math.max(p.paidThrough ?? -INFINITY, changes.paidThrough),
    status: changes.status ?? p.status,
    cancelAtPeriodEnd: changes.cancelAtPeriodEnd ?? p.cancelAtPeriodEnd,
  };
  const customer = customerOf(p);
  // Most events repeat what an earlier one already recorded: then only due events need applying.
  if (next.paidThrough === p.paidThrough && next.status === p.status && next.cancelAtPeriodEnd === p.cancelAtPeriodEnd) {
    yield* settleCustomerIfDue(tx, customer, now);
    return;
  }
  yield* run(tx.update(purchase).set(next).where(eq(purchase.id, purchaseId)));
  // A later period paid: the subscription renewed (a trial converting too).
  if (p.paidThrough !== null && next.paidThrough !== null && next.paidThrough > p.paidThrough) {
    yield* recordPurchaseChange(tx, p, 'renewed', now, `renewed:${next.paidThrough}`);
  }
  yield* settleCustomer(
    tx,
    customer,
    now,
    locked.purchases.map((row) => (row.id === purchaseId ? { ...row, ...next } : row)),
  );
}
