import { eq } from 'drizzle-orm';
import type { Tx } from '../../db';
import { itemGrant, purchase } from '../../db/schema';
import { run, type Work } from '../../db/work';
import { grantsOfPurchase, holdRevokedWindow, revokeGrant, type LedgerSource } from './ledger';
import { recordPurchaseChange } from './purchase-hooks';
import { getPurchase, insertPurchase, listPurchases, type NewPurchase, type PurchaseRow } from './purchase-rows';
import { settleCustomer, settleCustomerIfDue, windowsStartingIn } from './settlement';

/** Changes to purchases (buy, end, refund, renew), each followed by settling what it changed. */

const INFINITY = Number.POSITIVE_INFINITY;

/** Records a purchase; one of a product line ends whatever else of that line was live. */
export function* createPurchase(tx: Tx, input: NewPurchase, now: number): Work<PurchaseRow> {
  const row = yield* insertPurchase(tx, input, now);
  yield* recordPurchaseChange(tx, row, 'started', input.startedAt);
  if (row.productLine) {
    const purchases = yield* listPurchases(tx, input.customer);
    const replaced = purchases.filter((p) => p.productLine === row.productLine && p.endedAt === null && p.id !== row.id);
    for (const p of replaced) yield* closePurchase(tx, p, input.startedAt, 'ended');
  }
  yield* settleCustomer(tx, input.customer, now);
  return row;
}

/** Marks a purchase ended at `at` and moves the expiry of grants that last while it lasts; no settling. */
function* closePurchase(tx: Tx, p: PurchaseRow, at: number, status: PurchaseRow['status']): Work<void> {
  yield* run(tx.update(purchase).set({ endedAt: at, status }).where(eq(purchase.id, p.id)));
  yield* recordPurchaseChange(tx, p, 'ended', at);
  for (const grant of yield* grantsOfPurchase(tx, p.id)) {
    const included = p.product.includedItems[grant.itemId];
    if (!included || included.expires === 'never') continue;
    if (grant.expiresAt === null || grant.expiresAt > at) yield* run(tx.update(itemGrant).set({ expiresAt: at }).where(eq(itemGrant.id, grant.id)));
  }
}

/** Ends a purchase at `at`: grants that last while it lasts expire then. */
export function* endPurchase(tx: Tx, purchaseId: string, at: number, now: number, status: PurchaseRow['status'] = 'ended'): Work<void> {
  const p = yield* getPurchase(tx, purchaseId);
  if (!p || p.endedAt !== null) return;
  yield* closePurchase(tx, p, at, status);
  yield* settleCustomer(tx, { type: p.customerType, id: p.customerId }, now);
}

/** A refund or dispute: the purchase ends and everything it granted that still counts is taken back. */
export function* revokePurchase(tx: Tx, purchaseId: string, now: number, source: LedgerSource = {}): Work<void> {
  const p = yield* getPurchase(tx, purchaseId);
  if (!p || p.status === 'refunded') return;
  const customer = { type: p.customerType, id: p.customerId };
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
  const p = yield* getPurchase(tx, purchaseId);
  if (!p || p.status === 'refunded') return;
  const customer = { type: p.customerType, id: p.customerId };
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
  const p = yield* getPurchase(tx, purchaseId);
  if (!p || p.endedAt !== null) return;
  const next = {
    paidThrough: changes.paidThrough === undefined ? p.paidThrough : Math.max(p.paidThrough ?? -INFINITY, changes.paidThrough),
    status: changes.status ?? p.status,
    cancelAtPeriodEnd: changes.cancelAtPeriodEnd ?? p.cancelAtPeriodEnd,
  };
  const customer = { type: p.customerType, id: p.customerId };
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
  yield* settleCustomer(tx, customer, now);
}
