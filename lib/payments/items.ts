import { z } from 'zod';
import type { Db, Tx } from '../../db';
import type { Work } from '../../db/work';
import { AppError } from '../errors';
import type { Actor } from './actor';
import { catalog } from './catalog';
import { type CustomerRef, type ItemKey, customersOfType } from './customer-ref';
import { lowBalanceNoticeId, recordNotice } from '../notices/notices';
import { addGrant, readBalance, tryDecreaseFromBalance, tryDecreaseInOneCall, decreaseFromGrants, type NewGrant } from './ledger';
import { readSettled, settleCustomer } from './settlement';

const amountSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A value as a developer would write it: NaN, Infinity, 10n, "3", null, not JSON's rendering of them. */
function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** `n` for the quantity methods: a positive safe integer, or a clear error before anything changes. */
export function parseAmount(n: unknown): number {
  const parsed = amountSchema.safeParse(n);
  if (!parsed.success) throw new AppError('invalid_input', `Quantity must be a positive whole number, got ${describe(n)}.`);
  return parsed.data;
}

/** What `getItem` returns: an item of the catalog and its quantity at the time of the read. */
export function itemSnapshot(itemId: string, quantity: number) {
  return { id: itemId, displayName: catalog.items[itemId]!.displayName, quantity, nonNegativeQuantity: Math.max(0, quantity) };
}

/** The catalog entry of an item this customer type can hold, or a clear error. */
export function requireItem(customer: CustomerRef, itemId: unknown) {
  const item = typeof itemId === 'string' && Object.hasOwn(catalog.items, itemId) ? catalog.items[itemId] : undefined;
  if (!item || item.customerType !== customer.type) {
    throw new AppError('item_not_found', `There is no item "${String(itemId)}" for ${customersOfType(customer.type)}.`);
  }
  return { id: itemId as string, ...item };
}

function* settleIfDue(tx: Tx, key: ItemKey, now: number): Work<void> {
  const balance = yield* readBalance(tx, key);
  if (!balance || (balance.nextEventAt !== null && balance.nextEventAt <= now)) yield* settleCustomer(tx, key.customer, now);
}

/** The quantity inside a write transaction, settled first if something is due. */
export function* quantityIn(tx: Tx, key: ItemKey, now: number): Work<number> {
  yield* settleIfDue(tx, key, now);
  return (yield* readBalance(tx, key))!.quantity;
}

/** Whether a spend took an item from above its catalog threshold (`lowBalanceAt`) to at or below it. */
function crossesLowBalance(key: ItemKey, before: number, after: number): boolean {
  const threshold = catalog.items[key.itemId]?.lowBalanceAt;
  return threshold !== undefined && after <= threshold && before > threshold;
}

/** A low-balance notice for a spend that crossed the threshold: once per crossing (its id names it). */
function* noteIfLow(tx: Tx, key: ItemKey, before: number, after: number, at: number): Work<void> {
  if (!crossesLowBalance(key, before, after)) return;
  const item = catalog.items[key.itemId];
  const { type } = key.customer;
  yield* recordNotice(
    tx,
    {
      id: lowBalanceNoticeId(key.customer, key.itemId, at, after),
      customer: key.customer,
      kind: 'low_balance',
      text: `${item!.displayName} ${type === 'team' ? 'of the team ' : ''}are running low: ${Math.max(0, after).toLocaleString('en-US')} left.`,
      link: '/pricing',
    },
    at,
  );
}

/** One indexed read unless an expiry or a repeat window has come due since the last write. */
export async function getQuantity(db: Db, key: ItemKey, now: number): Promise<number> {
  const current = await db.read(function* (tx) {
    const balance = yield* readBalance(tx, key);
    return balance && (balance.nextEventAt === null || now < balance.nextEventAt) ? balance.quantity : null;
  });
  if (current !== null) return current;
  return db.write((tx) => quantityIn(tx, key, now));
}

/** The quantity of each of the customer's items: one indexed read of its balance rows, settled first if something is due. */
export async function getQuantities(db: Db, customer: CustomerRef, now: number): Promise<Map<string, number>> {
  return readSettled(db, customer, now, function* (_tx, balances) {
    return new Map(balances.map((row) => [row.itemId, row.quantity]));
  });
}

/** A grant, after settling what is due: `increaseQuantity` and the API's positive deltas. */
function* grantNow(tx: Tx, key: ItemKey, grant: NewGrant, now: number): Work<void> {
  yield* settleIfDue(tx, key, now);
  yield* addGrant(tx, key, grant, now);
}

/**
 * Takes `n` only if that many are there: the conditional UPDATE is the check, so no interleaving of
 * requests, processes or instances can overdraw. The first try also requires that nothing is due;
 * if it fails, settle and try once more. Returns the quantity left, or null.
 */
function* tryDecreaseIn(tx: Tx, key: ItemKey, n: number, now: number, actor: Actor, description: string | null = null): Work<number | null> {
  let left = yield* tryDecreaseFromBalance(tx, key, n, now, actor, description);
  if (left === null) {
    yield* settleIfDue(tx, key, now);
    left = yield* tryDecreaseFromBalance(tx, key, n, now, actor, description);
  }
  if (left !== null) yield* noteIfLow(tx, key, left + n, left, now);
  return left;
}

/** Takes `n` whatever is there: what the grants do not cover becomes debt. */
function* decreaseIn(tx: Tx, key: ItemKey, n: number, now: number, actor: Actor, description: string | null = null): Work<void> {
  const before = yield* quantityIn(tx, key, now);
  yield* decreaseFromGrants(tx, key, n, 'consumption', now, { actor, description });
  yield* noteIfLow(tx, key, before, before - n, now);
}

/**
 * A grant that never expires. `reason`: `returned` when it gives back what a spend took because the
 * work it paid for failed (the metered API), so the activity page does not show it as a top-up.
 */
export function increaseQuantity(
  db: Db,
  key: ItemKey,
  n: number,
  now: number,
  actor: Actor = 'system',
  reason: 'manual' | 'returned' = 'manual',
): Promise<void> {
  return db.write((tx) => grantNow(tx, key, { quantity: n, expiresAt: null, reason, actor }, now));
}

export function decreaseQuantity(db: Db, key: ItemKey, n: number, now: number, actor: Actor = 'system'): Promise<void> {
  return db.write((tx) => decreaseIn(tx, key, n, now, actor));
}

/** Takes `n` only if that many are there (`tryDecrease`). */
export async function tryDecreaseQuantity(db: Db, key: ItemKey, n: number, now: number, actor: Actor = 'system'): Promise<boolean> {
  return (await tryDecrease(db, key, n, now, actor)) !== null;
}

/**
 * `tryDecreaseQuantity` that also says how many are left: the quantity after the spend, or null.
 * On PostgreSQL, one round trip when nothing is due (`tryDecreaseInOneCall`); the low-balance
 * notice, when the spend crossed the threshold, is then written just after it (its id names the
 * crossing, so it is recorded once). Otherwise, and when something is due, one write transaction
 * (`tryDecreaseIn`).
 */
export async function tryDecrease(db: Db, key: ItemKey, n: number, now: number, actor: Actor, description: string | null = null): Promise<number | null> {
  if (db.dialect === 'postgres') {
    const { left, due } = await db.read((tx) => tryDecreaseInOneCall(tx, key, n, now, actor, description));
    if (left !== null) {
      if (crossesLowBalance(key, left + n, left)) await db.write((tx) => noteIfLow(tx, key, left + n, left, now));
      return left;
    }
    if (!due) return null;
  }
  return db.write((tx) => tryDecreaseIn(tx, key, n, now, actor, description));
}

export type QuantityChange = { delta: number; expiresAt: number | null; allowNegative: boolean; actor: Actor; description: string | null };

/**
 * Stack Auth's `update-quantity`: a positive delta is a grant (expiring at `expiresAt`, if given);
 * a negative one is spent, all or nothing unless `allowNegative`. Resolves to false when it was
 * refused for want of quantity, with nothing changed.
 */
export async function applyQuantityUpdate(
  db: Db,
  key: ItemKey,
  { delta, expiresAt, allowNegative, actor, description }: QuantityChange,
  now: number,
): Promise<boolean> {
  if (delta < 0 && !allowNegative) return (await tryDecrease(db, key, -delta, now, actor, description)) !== null;
  return db.write(function* (tx) {
    if (delta > 0) yield* grantNow(tx, key, { quantity: delta, expiresAt, reason: 'manual', actor, description }, now);
    else yield* decreaseIn(tx, key, -delta, now, actor, description);
    return true;
  });
}
