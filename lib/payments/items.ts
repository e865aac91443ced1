import { z } from 'zod';
import type { Db, Tx } from '../../db';
import type { Work } from '../../db/work';
import { AppError } from '../errors';
import type { Actor } from './actor';
import { catalog } from './catalog';
import { type CustomerRef, type ItemKey, customersOfType } from './customer-ref';
import { recordNotice } from '../notices/notices';
import { addGrant, readBalance, takeIfAvailable, takeQuantity, type NewGrant } from './ledger';
import { settleCustomer } from './settlement';

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

/**
 * A spend that takes an item from above its catalog threshold (`lowBalanceAt`) to at or below it
 * records a low-balance notice, in the spend's transaction: once per crossing.
 */
function* noteIfLow(tx: Tx, key: ItemKey, before: number, after: number, at: number): Work<void> {
  const item = catalog.items[key.itemId];
  const threshold = item?.lowBalanceAt;
  if (threshold === undefined || !(after <= threshold && before > threshold)) return;
  const { type, id } = key.customer;
  yield* recordNotice(
    tx,
    {
      id: `low_balance:${type}:${id}:${key.itemId}:${at}:${after}`,
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

/** A grant, after settling what is due: `increaseQuantity`, `giveBack` and the API's positive deltas. */
function* grantNow(tx: Tx, key: ItemKey, grant: NewGrant, now: number): Work<void> {
  yield* settleIfDue(tx, key, now);
  yield* addGrant(tx, key, grant, now);
}

/**
 * Takes `n` only if that many are there: the conditional UPDATE is the check, so no interleaving of
 * requests, processes or instances can overdraw. The first try also requires that nothing is due;
 * if it fails, settle and try once more. Returns the quantity left, or null.
 */
function* spendIfEnough(tx: Tx, key: ItemKey, n: number, now: number, actor: Actor, description: string | null = null): Work<number | null> {
  let left = yield* takeIfAvailable(tx, key, n, now, actor, description);
  if (left === null) {
    yield* settleIfDue(tx, key, now);
    left = yield* takeIfAvailable(tx, key, n, now, actor, description);
  }
  if (left !== null) yield* noteIfLow(tx, key, left + n, left, now);
  return left;
}

/** Takes `n` whatever is there: what the grants do not cover becomes debt. */
function* spendAnyway(tx: Tx, key: ItemKey, n: number, now: number, actor: Actor, description: string | null = null): Work<void> {
  const before = yield* quantityIn(tx, key, now);
  yield* takeQuantity(tx, key, n, 'consumption', now, { actor, description });
  yield* noteIfLow(tx, key, before, before - n, now);
}

export function increaseQuantity(db: Db, key: ItemKey, n: number, now: number, actor: Actor = 'system'): Promise<void> {
  return db.write((tx) => grantNow(tx, key, { quantity: n, expiresAt: null, reason: 'manual', actor }, now));
}

/**
 * Returns what a spend took when the work it paid for failed (the metered API): a grant that
 * never expires, recorded as `returned` so the activity page does not show it as a top-up.
 */
export function giveBack(db: Db, key: ItemKey, n: number, now: number, actor: Actor): Promise<void> {
  return db.write((tx) => grantNow(tx, key, { quantity: n, expiresAt: null, reason: 'returned', actor }, now));
}

export function decreaseQuantity(db: Db, key: ItemKey, n: number, now: number, actor: Actor = 'system'): Promise<void> {
  return db.write((tx) => spendAnyway(tx, key, n, now, actor));
}

/** Takes `n` only if that many are there, in one write transaction (`spendIfEnough`). */
export async function tryDecreaseQuantity(db: Db, key: ItemKey, n: number, now: number, actor: Actor = 'system'): Promise<boolean> {
  return (await takeIfEnough(db, key, n, now, actor)) !== null;
}

/** `tryDecreaseQuantity` that also says how many are left: the quantity after the spend, or null. */
export function takeIfEnough(db: Db, key: ItemKey, n: number, now: number, actor: Actor): Promise<number | null> {
  return db.write((tx) => spendIfEnough(tx, key, n, now, actor));
}

export type QuantityChange = { delta: number; expiresAt: number | null; allowNegative: boolean; actor: Actor; description: string | null };

/**
 * Stack Auth's `update-quantity`: a positive delta is a grant (expiring at `expiresAt`, if given);
 * a negative one is spent, all or nothing unless `allowNegative`. Resolves to false when it was
 * refused for want of quantity, with nothing changed.
 */
export function changeQuantity(db: Db, key: ItemKey, { delta, expiresAt, allowNegative, actor, description }: QuantityChange, now: number): Promise<boolean> {
  return db.write(function* (tx) {
    if (delta > 0) {
      yield* grantNow(tx, key, { quantity: delta, expiresAt, reason: 'manual', actor, description }, now);
      return true;
    }
    if (!allowNegative) return (yield* spendIfEnough(tx, key, -delta, now, actor, description)) !== null;
    yield* spendAnyway(tx, key, -delta, now, actor, description);
    return true;
  });
}
