import { and, eq, gt, isNotNull, max, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { all, get, lock, run, statement, type Work, type WorkResult } from '../../db/work';
import { itemBalance, itemGrant } from '../../db/schema';
import { catalog } from './catalog';
import type { CustomerType, IncludedItem } from './catalog-schema';
import { customerParams, isCustomerParam, type CustomerRef, type ItemKey } from './customer-ref';
import { addDuration } from './duration';
import { addGrant, balanceKey, expireGrant, readBalances, setNextEvent, soonestExpiringGrant } from './ledger';
import { insertPurchase, listPurchases, type PurchaseRow } from './purchase-rows';

/**
 * The settlement engine: how purchases turn into grants. A purchase grants each included item
 * once per repeat window; window k starts at `startedAt + k × repeat` (after a free trial: window
 * 0 is the trial, window k ≥ 1 starts at `trialEndsAt + (k − 1) × repeat`, with the paid periods)
 * and is due once it has started, is paid for (starts before `paidThrough`) and the purchase has not ended.
 * `settleCustomer` applies every due window and expiry in time order, so reads and writes never
 * need a cron job.
 */

const INFINITY = Number.POSITIVE_INFINITY;

export function itemIdsFor(type: CustomerType): string[] {
  return Object.entries(catalog.items)
    .filter(([, item]) => item.customerType === type)
    .map(([id]) => id);
}

export function windowStart(p: PurchaseRow, included: IncludedItem, index: number): number {
  if (included.repeat === 'never' || index === 0) return p.startedAt;
  return p.trialEndsAt === null ? addDuration(p.startedAt, included.repeat, index) : addDuration(p.trialEndsAt, included.repeat, index - 1);
}

/** The windows of a purchase's item that start in `[start, end)`: what an invoice for that period paid for. */
export function windowsStartingIn(p: PurchaseRow, included: IncludedItem, start: number, end: number): number[] {
  const indexes: number[] = [];
  for (let index = 0; ; index++) {
    const at = windowStart(p, included, index);
    if (at >= end || (index > 0 && included.repeat === 'never')) return indexes;
    if (at >= start) indexes.push(index);
  }
}

/** Windows start strictly before this; a refunded purchase grants nothing more. */
function grantBound(p: PurchaseRow): number {
  if (p.status === 'refunded') return -INFINITY;
  return Math.min(p.paidThrough ?? INFINITY, p.endedAt ?? INFINITY);
}

/**
 * When a window's grant expires. `when-repeated` does not mean "at the next window's start": it
 * lasts until the next window is granted (which expires it, see grantWindow) or the purchase ends.
 * Between a period's end and its renewal invoice being paid, what is left of the last paid period
 * bridges the gap, so a subscriber's allowance never drops to zero while Stripe collects, and no
 * period nobody paid for is ever granted (nothing to take back either).
 */
function expiryOf(p: PurchaseRow, included: IncludedItem): number | null {
  return included.expires === 'never' ? null : (p.endedAt ?? null);
}

/**
 * The last granted window of each of the customer's purchases for an item: one grouped read. An
 * empty row holding a refunded window (`holdRevokedWindow`) does not count: that window still takes
 * its turn, resetting the previous one as a granted window would, and its grant is then refused.
 */
const lastWindowsStatement = statement((tx) =>
  tx
    .select({ purchaseId: itemGrant.purchaseId, last: max(itemGrant.windowIndex) })
    .from(itemGrant)
    .where(and(isCustomerParam(itemGrant), eq(itemGrant.itemId, sql.placeholder('item')), isNotNull(itemGrant.purchaseId), gt(itemGrant.quantity, 0)))
    .groupBy(itemGrant.purchaseId),
);

function* lastWindowIndexes(_tx: Tx, key: ItemKey): Work<Map<string, number>> {
  const rows = yield* all(lastWindowsStatement, { ...customerParams(key.customer), item: key.itemId });
  return new Map(rows.map((row) => [row.purchaseId!, row.last ?? -1]));
}

type Window = { purchase: PurchaseRow; included: IncludedItem; index: number; start: number };

/** The next window of each purchase that includes the item, due or not, earliest first. */
function nextWindows(purchases: PurchaseRow[], itemId: string, lastIndexes: Map<string, number>): Window[] {
  const windows: Window[] = [];
  for (const p of purchases) {
    const included = p.product.includedItems[itemId];
    if (!included) continue;
    const index = (lastIndexes.get(p.id) ?? -1) + 1;
    if (index > 0 && included.repeat === 'never') continue;
    const start = windowStart(p, included, index);
    if (start < grantBound(p)) windows.push({ purchase: p, included, index, start });
  }
  return windows.sort((a, b) => a.start - b.start);
}

/** Grants a window; returns whether any grant's expiry changed (the soonest expiring must be read again). */
function* grantWindow(tx: Tx, key: ItemKey, w: Window, now: number): Work<boolean> {
  const expiresAt = expiryOf(w.purchase, w.included);
  let expiriesChanged = expiresAt !== null;
  // The new window replaces the previous one's grant, expiring at this window's start: the reset.
  if (w.included.expires === 'when-repeated' && w.index > 0) {
    const previous = yield* get(
      tx
        .select()
        .from(itemGrant)
        .where(and(eq(itemGrant.purchaseId, w.purchase.id), eq(itemGrant.itemId, key.itemId), eq(itemGrant.windowIndex, w.index - 1))),
    );
    if (previous && previous.revokedAt === null && (previous.expiresAt === null || previous.expiresAt > w.start)) {
      expiriesChanged ||= previous.expiresAt !== null;
      if (previous.remaining > 0) yield* expireGrant(tx, key, { ...previous, expiresAt: w.start });
      else yield* run(tx.update(itemGrant).set({ expiresAt: w.start }).where(eq(itemGrant.id, previous.id)));
    }
  }
  yield* addGrant(
    tx,
    key,
    {
      quantity: w.included.quantity * w.purchase.quantity,
      expiresAt,
      // What is left of it is lost when the next window replaces it: spent before what lasts.
      resetsAt: w.included.expires === 'when-repeated' && w.included.repeat !== 'never' ? windowStart(w.purchase, w.included, w.index + 1) : null,
      windowIndex: w.index,
      purchaseId: w.purchase.id,
      // A free default product was never bought: its grants are refills from the first one.
      reason: w.index === 0 && w.purchase.source !== 'default' ? 'purchase' : 'renewal',
      actor: w.purchase.source === 'stripe' ? 'stripe' : 'system',
      paysDebtBefore: supersededAt(w, now),
    },
    w.start,
  );
  return expiriesChanged;
}

/**
 * When a window applied late had already been replaced by the next one (also due by `now`): it
 * applies at its own time, so it pays only debt that arose before then, never later spending.
 */
function supersededAt(w: Window, now: number): number | undefined {
  if (w.included.expires !== 'when-repeated' || w.included.repeat === 'never') return undefined;
  const next = windowStart(w.purchase, w.included, w.index + 1);
  return next <= now && next < grantBound(w.purchase) ? next : undefined;
}

/** Applies every expiry and due window of one item up to `now`, oldest first; the item's balance row exists after. */
function* settleItem(tx: Tx, key: ItemKey, purchases: PurchaseRow[], now: number): Work<void> {
  const lastIndexes = yield* lastWindowIndexes(tx, key);
  let nextExpiry: number | null = null;
  let soonest = yield* soonestExpiringGrant(tx, key);
  for (;;) {
    const expired = soonest && soonest.expiresAt! <= now ? soonest : undefined;
    const window = nextWindows(purchases, key.itemId, lastIndexes).find((w) => w.start <= now);
    if (!expired && !window) {
      nextExpiry = soonest?.expiresAt ?? null;
      break;
    }
    // An expiry at the same instant as a new window goes first: the reset, then the refill.
    if (expired && (!window || expired.expiresAt! <= window.start)) {
      yield* expireGrant(tx, key, expired);
      soonest = yield* soonestExpiringGrant(tx, key);
    } else {
      const expiriesChanged = yield* grantWindow(tx, key, window!, now);
      lastIndexes.set(window!.purchase.id, window!.index);
      if (expiriesChanged) soonest = yield* soonestExpiringGrant(tx, key);
    }
  }
  const upcoming = [nextExpiry, ...nextWindows(purchases, key.itemId, lastIndexes).map((w) => w.start)].filter((t): t is number => t !== null);
  yield* setNextEvent(tx, key, upcoming.length ? Math.min(...upcoming) : null, now);
}

/** Every product line without a live purchase falls back to its free default product. */
function* ensureDefaultProducts(tx: Tx, customer: CustomerRef, purchases: PurchaseRow[], now: number): Work<PurchaseRow[]> {
  const added: PurchaseRow[] = [];
  for (const [productId, product] of Object.entries(catalog.products)) {
    if (product.price !== 'include-by-default' || product.customerType !== customer.type) continue;
    const line = purchases.filter((p) => p.productLine === product.productLine);
    if (line.some((p) => p.endedAt === null || p.endedAt > now)) continue;
    const lastEnd = Math.max(-INFINITY, ...line.map((p) => p.endedAt!));
    added.push(
      yield* insertPurchase(
        tx,
        {
          customer,
          productId,
          product,
          quantity: 1,
          source: 'default',
          status: 'active',
          startedAt: Number.isFinite(lastEnd) ? lastEnd : now,
          paidThrough: null,
        },
        now,
      ),
    );
  }
  return added;
}

/**
 * Whether a customer's balance rows say something is due: an item without its row (never settled,
 * so defaults were not applied), or an event at or before `now`. The one test of "anything due".
 */
export function balancesDue(customer: CustomerRef, rows: { nextEventAt: number | null }[], now: number): boolean {
  return rows.length < itemIdsFor(customer.type).length || rows.some((row) => row.nextEventAt !== null && row.nextEventAt <= now);
}

/**
 * Settles only when something is due (`balancesDue`). For the start of a change; after changing
 * purchases, call settleCustomer, since their stored next events are then stale.
 */
export function* settleCustomerIfDue(tx: Tx, customer: CustomerRef, now: number): Work<void> {
  if (balancesDue(customer, yield* readBalances(tx, customer), now)) yield* settleCustomer(tx, customer, now);
}

type Balances = WorkResult<ReturnType<typeof readBalances>>;

/**
 * Reads what `work` reads after settling, without a write transaction unless something is due: one
 * indexed read of the customer's balance rows says whether anything is, and is handed to `work`
 * (a page's GET then costs its reads; PostgreSQL: no BEGIN, no lock).
 */
export async function readSettled<T>(db: Db, customer: CustomerRef, now: number, work: (tx: Tx, balances: Balances) => Work<T>): Promise<T> {
  const read = await db.read(function* (tx) {
    const balances = yield* readBalances(tx, customer);
    return balancesDue(customer, balances, now) ? null : { value: yield* work(tx, balances) };
  });
  if (read) return read.value;
  return db.write(function* (tx) {
    yield* settleCustomer(tx, customer, now);
    return yield* work(tx, yield* readBalances(tx, customer));
  });
}

/**
 * The balance row of each of the customer's items, created where missing (due at once: never
 * settled) and locked, in item order: one statement per customer type, built once per connection.
 */
const lockBalancesStatements = new Map<CustomerType, ReturnType<typeof lockBalancesStatement>>();
function lockBalancesStatement(type: CustomerType) {
  return statement((tx) =>
    tx
      .insert(itemBalance)
      .values(
        itemIdsFor(type)
          .sort()
          .map((itemId) => ({
            customerType: type,
            customerId: sql.placeholder('id'),
            itemId,
            quantity: 0,
            debt: 0,
            nextEventAt: 0,
            settledAt: sql.placeholder('at'),
          })),
      )
      .onConflictDoUpdate({ target: balanceKey, set: { quantity: sql`${itemBalance.quantity}` } }),
  );
}

/**
 * Takes the customer's settlement lock and then its balance rows (the lock order of ledger.ts),
 * then reads its purchases: where settling, and changing purchases, start. Two instances settling
 * one customer: the second waits, then finds the windows granted and the expiries applied (and
 * the unique window key would refuse a second grant anyway). A spend holding one balance row
 * finishes before settling touches that item's grants.
 */
export function* lockedPurchases(tx: Tx, customer: CustomerRef, now: number): Work<PurchaseRow[]> {
  yield* lock(`customer:${customer.type}:${customer.id}`);
  if (itemIdsFor(customer.type).length > 0) {
    let locking = lockBalancesStatements.get(customer.type);
    if (!locking) lockBalancesStatements.set(customer.type, (locking = lockBalancesStatement(customer.type)));
    yield* run(locking, { id: customer.id, at: now });
  }
  return yield* listPurchases(tx, customer);
}

/**
 * Applies everything due. `purchases`: the customer's, when the caller already read them with
 * `lockedPurchases` (and changed them since only through its own writes, mirrored in the rows).
 */
export function* settleCustomer(tx: Tx, customer: CustomerRef, now: number, purchases?: PurchaseRow[]): Work<void> {
  const held = purchases ?? (yield* lockedPurchases(tx, customer, now));
  const withDefaults = [...held, ...(yield* ensureDefaultProducts(tx, customer, held, now))];
  for (const itemId of itemIdsFor(customer.type)) yield* settleItem(tx, { customer, itemId }, withDefaults, now);
}
