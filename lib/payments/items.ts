import { z } from 'zod';
import type { Db, Queryable } from '../../db';
import { AppError } from '../errors';
import { catalog } from './catalog';
import type { CustomerRef, ItemKey } from './customer-ref';
import { addGrant, readBalance, takeQuantity, tryTakeQuantity } from './ledger';
import { settleCustomer } from './purchases';

const amountSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `n` for the quantity methods: a positive safe integer, or a clear error before anything changes. */
export function parseAmount(n: unknown): number {
  const parsed = amountSchema.safeParse(n);
  if (!parsed.success) throw new AppError('invalid_input', `Quantity must be a positive whole number, got ${JSON.stringify(n) ?? String(n)}.`);
  return parsed.data;
}

/** The catalog entry of an item this customer type can hold, or a clear error. */
export function requireItem(customer: CustomerRef, itemId: unknown) {
  const item = typeof itemId === 'string' && Object.hasOwn(catalog.items, itemId) ? catalog.items[itemId] : undefined;
  if (!item || item.customerType !== customer.type) {
    throw new AppError('item_not_found', `There is no item "${String(itemId)}" for ${customer.type === 'user' ? 'users' : 'teams'}.`);
  }
  return { id: itemId as string, ...item };
}

function settleIfDue(tx: Queryable, key: ItemKey, now: number) {
  const balance = readBalance(tx, key);
  if (!balance || (balance.nextEventAt !== null && balance.nextEventAt <= now)) settleCustomer(tx, key.customer, now);
}

/** One indexed read unless an expiry or a repeat window has come due since the last write. */
export function getQuantity(db: Db, key: ItemKey, now: number): number {
  const balance = readBalance(db, key);
  if (balance && (balance.nextEventAt === null || now < balance.nextEventAt)) return balance.quantity;
  return db.transaction(
    (tx) => {
      settleIfDue(tx, key, now);
      return readBalance(tx, key)!.quantity;
    },
    { behavior: 'immediate' },
  );
}

export function increaseQuantity(db: Db, key: ItemKey, n: number, now: number) {
  db.transaction(
    (tx) => {
      settleIfDue(tx, key, now);
      addGrant(tx, key, { quantity: n, expiresAt: null, reason: 'manual' }, now);
    },
    { behavior: 'immediate' },
  );
}

export function decreaseQuantity(db: Db, key: ItemKey, n: number, now: number) {
  db.transaction(
    (tx) => {
      settleIfDue(tx, key, now);
      takeQuantity(tx, key, n, 'consumption', now);
    },
    { behavior: 'immediate' },
  );
}

/** Takes `n` only if that many are there; one IMMEDIATE transaction, so no interleaving can overdraw. */
export function tryDecreaseQuantity(db: Db, key: ItemKey, n: number, now: number): boolean {
  return db.transaction(
    (tx) => {
      settleIfDue(tx, key, now);
      return tryTakeQuantity(tx, key, n, now);
    },
    { behavior: 'immediate' },
  );
}
