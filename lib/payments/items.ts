import { z } from 'zod';
import type { Db, Queryable } from '../../db';
import { AppError } from '../errors';
import { catalog } from './catalog';
import type { CustomerRef, ItemKey } from './customer-ref';
import { addGrant, readBalance, takeQuantity } from './ledger';
import { settleCustomer } from './settlement';

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

type Client = Db['$client'];
type BalanceRow = { quantity: number; nextEventAt: number | null };

/**
 * The hot paths (read a quantity, try to spend) as statements prepared once per connection:
 * building and preparing them through drizzle on every call cost 20× the SQL itself (see
 * `npm run bench`). Everything else goes through drizzle.
 */
function hotPaths(db: Db) {
  const client: Client = db.$client;
  const balance = client.prepare<[string, string, string], BalanceRow>(
    'select quantity, next_event_at as nextEventAt from item_balance where customer_type = ? and customer_id = ? and item_id = ?',
  );
  const take = client.prepare('update item_balance set quantity = quantity - ? where customer_type = ? and customer_id = ? and item_id = ? and quantity >= ?');
  // Soonest-expiring first, never-expiring last: the order of drawFromGrants in ledger.ts.
  const grants = client.prepare<[string, string, string], { id: number; remaining: number }>(
    'select id, remaining from item_grant where customer_type = ? and customer_id = ? and item_id = ? and remaining > 0 order by expires_at is null, expires_at, id',
  );
  const spendGrant = client.prepare('update item_grant set remaining = remaining - ? where id = ?');
  const ledger = client.prepare(
    "insert into item_ledger (customer_type, customer_id, item_id, delta, balance_after, reason, created_at) select customer_type, customer_id, item_id, ?, quantity, 'consumption', ? from item_balance where customer_type = ? and customer_id = ? and item_id = ?",
  );
  const read = (key: ItemKey) => balance.get(key.customer.type, key.customer.id, key.itemId);

  const tryDecrease = client.transaction((key: ItemKey, n: number, now: number): boolean => {
    const current = read(key);
    if (!current || (current.nextEventAt !== null && current.nextEventAt <= now)) settleCustomer(db, key.customer, now);
    const k = [key.customer.type, key.customer.id, key.itemId] as const;
    // The conditional UPDATE is the check: under this IMMEDIATE transaction's write lock no other
    // request, process or retry can slip between reading the quantity and taking from it.
    if (take.run(n, ...k, n).changes !== 1) return false;
    let left = n;
    for (const grant of grants.all(...k)) {
      if (left === 0) break;
      const used = Math.min(left, grant.remaining);
      spendGrant.run(used, grant.id);
      left -= used;
    }
    if (left !== 0) throw new Error(`balance and grants disagree for ${k.join('/')}`);
    ledger.run(-n, now, ...k);
    return true;
  });
  return { read, tryDecrease };
}

const hotPathsByConnection = new WeakMap<Client, ReturnType<typeof hotPaths>>();
function hot(db: Db) {
  let paths = hotPathsByConnection.get(db.$client);
  if (!paths) {
    paths = hotPaths(db);
    hotPathsByConnection.set(db.$client, paths);
  }
  return paths;
}

/** One indexed read unless an expiry or a repeat window has come due since the last write. */
export function getQuantity(db: Db, key: ItemKey, now: number): number {
  const balance = hot(db).read(key);
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
  return hot(db).tryDecrease.immediate(key, n, now);
}
