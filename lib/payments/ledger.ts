import { and, asc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../db';
import { itemBalance, itemDebt, itemGrant, itemLedger, type ItemGrant, type ItemLedgerEntry } from '../../db/schema';
import { all, get, run, statement, type Work } from '../../db/work';
import { AppError } from '../errors';
import type { Actor } from './actor';
import { customerParams, isCustomer, isCustomerParam, type CustomerRef, type ItemKey } from './customer-ref';

/**
 * Quantities as grants plus debt. Every function here is work (../../db/work.ts) that runs inside
 * the caller's write transaction and keeps `item_balance.quantity = Σ remaining of live grants −
 * debt`, writing one ledger row per change. Spending draws first from what would be lost first
 * (`spendOrder`); what no grant covers becomes debt, which the next grant pays off first.
 *
 * Lock order, on every path (PostgreSQL runs READ COMMITTED; SQLite's one write lock covers it):
 * the customer's settlement lock (settlement.ts `lockedPurchases`) → the item's balance row →
 * its grants → its debt. Nothing reads a grant or a debt to write it back without holding the
 * balance row, so no write computed in JavaScript can be lost, and no two paths wait on each
 * other in opposite order.
 */

type Reason = ItemLedgerEntry['reason'];
export type LedgerSource = { purchaseId?: string | null; stripeEventId?: string | null; actor?: Actor; description?: string | null };

/** A literal, not a parameter, so the planner can use the partial index on live grants. */
const liveGrant = sql`${itemGrant.remaining} > 0`;

/**
 * The spend order, the one definition every spending path uses: what would be lost first goes
 * first. `use_by` is a grant's expiry, or for a window that resets, when the next window starts;
 * soonest first, never-lost last, then oldest first. It matches `item_grant_live_spend_order_idx`.
 */
const spendOrder = [sql`(${itemGrant.useBy} is null)`, asc(itemGrant.useBy), asc(itemGrant.id)];

// The hot paths (read a balance, spend, grant, settle) as statements built once per connection; `keyParams` fills them.
const keyParams = (key: ItemKey) => ({ ...customerParams(key.customer), item: key.itemId });
const placeholderKey = (table: typeof itemBalance | typeof itemGrant) => and(isCustomerParam(table), eq(table.itemId, sql.placeholder('item')));
export const balanceKey = [itemBalance.customerType, itemBalance.customerId, itemBalance.itemId];

const readBalanceStatement = statement((tx) =>
  tx.select({ quantity: itemBalance.quantity, nextEventAt: itemBalance.nextEventAt }).from(itemBalance).where(placeholderKey(itemBalance)),
);
const takeStatement = statement((tx) =>
  tx
    .update(itemBalance)
    .set({ quantity: sql`${itemBalance.quantity} - ${sql.placeholder('n')}` })
    .where(
      and(
        placeholderKey(itemBalance),
        sql`${itemBalance.quantity} >= ${sql.placeholder('n')}`,
        sql`(${itemBalance.nextEventAt} is null or ${itemBalance.nextEventAt} > ${sql.placeholder('at')})`,
      ),
    )
    .returning({ quantity: itemBalance.quantity }),
);
/** Takes `n` from the first live grant in spend order when it holds that many: the common case, one statement. */
const takeFromFirstGrantStatement = statement((tx) =>
  tx
    .update(itemGrant)
    .set({ remaining: sql`${itemGrant.remaining} - ${sql.placeholder('n')}` })
    .where(
      and(
        eq(
          itemGrant.id,
          tx
            .select({ id: itemGrant.id })
            .from(itemGrant)
            .where(and(placeholderKey(itemGrant), liveGrant))
            .orderBy(...spendOrder)
            .limit(1),
        ),
        sql`${itemGrant.remaining} >= ${sql.placeholder('n')}`,
      ),
    ),
);
const ledgerRowStatement = statement((tx) =>
  tx.insert(itemLedger).values({
    customerType: sql.placeholder('type'),
    customerId: sql.placeholder('id'),
    itemId: sql.placeholder('item'),
    delta: sql.placeholder('delta'),
    balanceAfter: sql.placeholder('after'),
    reason: sql.placeholder('reason'),
    purchaseId: sql.placeholder('purchaseId'),
    grantId: sql.placeholder('grantId'),
    stripeEventId: sql.placeholder('stripeEventId'),
    actor: sql.placeholder('actor'),
    description: sql.placeholder('description'),
    createdAt: sql.placeholder('at'),
  }),
);
/** Takes `n` from the balance, `debt` of it not covered by grants; returns the quantity left. */
const reduceBalanceStatement = statement((tx) =>
  tx
    .update(itemBalance)
    .set({ quantity: sql`${itemBalance.quantity} - ${sql.placeholder('n')}`, debt: sql`${itemBalance.debt} + ${sql.placeholder('debt')}` })
    .where(placeholderKey(itemBalance))
    .returning({ quantity: itemBalance.quantity }),
);
const insertGrantStatement = statement((tx) =>
  tx
    .insert(itemGrant)
    .values({
      customerType: sql.placeholder('type'),
      customerId: sql.placeholder('id'),
      itemId: sql.placeholder('item'),
      purchaseId: sql.placeholder('purchaseId'),
      windowIndex: sql.placeholder('windowIndex'),
      quantity: sql.placeholder('quantity'),
      remaining: sql.placeholder('quantity'),
      grantedAt: sql.placeholder('at'),
      expiresAt: sql.placeholder('expiresAt'),
      useBy: sql.placeholder('useBy'),
    })
    .onConflictDoNothing()
    .returning({ id: itemGrant.id }),
);
/**
 * Adds a grant to the balance, creating the balance row if there is none yet. An expiring grant is
 * a future event: reads must settle once it is due, so the next event becomes the sooner of both.
 */
const addToBalanceStatement = statement((tx) =>
  tx
    .insert(itemBalance)
    .values({
      customerType: sql.placeholder('type'),
      customerId: sql.placeholder('id'),
      itemId: sql.placeholder('item'),
      quantity: sql.placeholder('quantity'),
      debt: 0,
      nextEventAt: sql.placeholder('expiresAt'),
      settledAt: sql.placeholder('at'),
    })
    .onConflictDoUpdate({
      target: balanceKey,
      set: {
        quantity: sql`${itemBalance.quantity} + excluded.quantity`,
        nextEventAt: sql`case when ${itemBalance.nextEventAt} < excluded.next_event_at then ${itemBalance.nextEventAt} else coalesce(excluded.next_event_at, ${itemBalance.nextEventAt}) end`,
      },
    })
    .returning({ quantity: itemBalance.quantity, debt: itemBalance.debt }),
);
/** A new balance row of the statement's key (`type`, `id`, `item`), holding nothing; settle it at `nextEventAt`. */
const emptyBalance = (nextEventAt: ReturnType<typeof sql.placeholder> | number) => ({
  customerType: sql.placeholder('type'),
  customerId: sql.placeholder('id'),
  itemId: sql.placeholder('item'),
  quantity: 0,
  debt: 0,
  nextEventAt,
  settledAt: sql.placeholder('at'),
});
/** Records when settling must happen next, creating the balance row if there is none yet. */
const nextEventStatement = statement((tx) =>
  tx
    .insert(itemBalance)
    .values(emptyBalance(sql.placeholder('next')))
    .onConflictDoUpdate({ target: balanceKey, set: { nextEventAt: sql`excluded.next_event_at`, settledAt: sql`excluded.settled_at` } }),
);
const expireGrantStatement = statement((tx) =>
  tx
    .update(itemGrant)
    .set({ remaining: 0, expiresAt: sql`${sql.placeholder('at')}` })
    .where(eq(itemGrant.id, sql.placeholder('grant'))),
);
const soonestExpiringStatement = statement((tx) =>
  tx
    .select({ id: itemGrant.id, remaining: itemGrant.remaining, expiresAt: itemGrant.expiresAt, purchaseId: itemGrant.purchaseId })
    .from(itemGrant)
    .where(and(placeholderKey(itemGrant), liveGrant, isNotNull(itemGrant.expiresAt)))
    .orderBy(asc(itemGrant.expiresAt), asc(itemGrant.id))
    .limit(1),
);

const lockBalanceStatement = statement((tx) =>
  tx
    .insert(itemBalance)
    .values(emptyBalance(0)) // never settled: due at once, so the next read settles it
    .onConflictDoUpdate({ target: balanceKey, set: { quantity: sql`${itemBalance.quantity}` } })
    .returning({ quantity: itemBalance.quantity, debt: itemBalance.debt }),
);

const balanceOf = (key: ItemKey) => and(isCustomer(itemBalance, key.customer), eq(itemBalance.itemId, key.itemId));

/**
 * Holds the item's balance row (creating it if there is none) and returns it: the first lock of a
 * spend that reads grants before writing them (`decreaseQuantity`). An upsert that changes nothing
 * takes the row lock on PostgreSQL, where a plain read would not.
 */
export function* lockBalance(_tx: Tx, key: ItemKey, at: number): Work<{ quantity: number; debt: number }> {
  return (yield* get(lockBalanceStatement, { ...keyParams(key), at }))!;
}

/**
 * Takes `n` from the balance (`debt` of it not covered by grants) and writes its ledger row with the
 * quantity the UPDATE returned: one round trip fewer than reading the balance back (it counts on
 * PostgreSQL, query by query).
 */
function* reduceBalance(tx: Tx, key: ItemKey, n: number, debt: number, reason: Reason, at: number, source: LedgerSource & { grantId?: number }): Work<void> {
  const updated = yield* get(reduceBalanceStatement, { ...keyParams(key), n, debt });
  yield* insertLedgerRow(tx, key, -n, updated?.quantity ?? 0, reason, at, source);
}

function* insertLedgerRow(
  _tx: Tx,
  key: ItemKey,
  delta: number,
  balanceAfter: number,
  reason: Reason,
  at: number,
  source: LedgerSource & { grantId?: number },
): Work<void> {
  yield* run(ledgerRowStatement, {
    ...keyParams(key),
    delta,
    after: balanceAfter,
    reason,
    purchaseId: source.purchaseId ?? null,
    grantId: source.grantId ?? null,
    stripeEventId: source.stripeEventId ?? null,
    actor: source.actor ?? 'system',
    description: source.description ?? null,
    at,
  });
}

export type NewGrant = LedgerSource & {
  quantity: number;
  expiresAt: number | null;
  /** A window that resets: when the next one starts. Spent before what lasts (`spendOrder`). */
  resetsAt?: number | null;
  windowIndex?: number | null;
  reason: Reason;
  /** A window applied late, after it already ended: it pays only debt that arose before then. */
  paysDebtBefore?: number;
};

/** Debt that no grant covered, recorded with when it arose (`item_debt`). */
function* recordDebt(tx: Tx, key: ItemKey, amount: number, at: number): Work<void> {
  if (amount <= 0) return;
  yield* run(
    tx.insert(itemDebt).values({ customerType: key.customer.type, customerId: key.customer.id, itemId: key.itemId, remaining: amount, createdAt: at }),
  );
}

/** Pays off up to `amount` of debt (that arose before `before`, if given), oldest first; returns what it paid. */
function* payOffDebt(tx: Tx, key: ItemKey, amount: number, before: number | null): Work<number> {
  let paid = 0;
  while (paid < amount) {
    const debts = yield* all(
      tx
        .select({ id: itemDebt.id, remaining: itemDebt.remaining })
        .from(itemDebt)
        .where(
          and(
            isCustomer(itemDebt, key.customer),
            eq(itemDebt.itemId, key.itemId),
            sql`${itemDebt.remaining} > 0`,
            before === null ? undefined : lt(itemDebt.createdAt, before),
          ),
        )
        .orderBy(asc(itemDebt.createdAt), asc(itemDebt.id))
        .limit(GRANTS_PER_READ),
    );
    for (const debt of debts) {
      const pay = Math.min(amount - paid, debt.remaining);
      yield* run(
        tx
          .update(itemDebt)
          .set({ remaining: debt.remaining - pay })
          .where(eq(itemDebt.id, debt.id)),
      );
      paid += pay;
      if (paid === amount) break;
    }
    if (debts.length < GRANTS_PER_READ) break;
  }
  return paid;
}

/**
 * Quantities stay exact integers in JavaScript: a change whose result would leave the safe range
 * is refused before anything is written.
 */
function assertSafe(quantity: number, key: ItemKey) {
  if (!Number.isSafeInteger(quantity)) {
    throw new AppError(
      'quantity_out_of_range',
      `That would take ${key.itemId} beyond ±${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}; nothing was changed.`,
    );
  }
}

/** Adds a grant; returns false when that purchase window was granted before (a retry). */
export function* addGrant(tx: Tx, key: ItemKey, grant: NewGrant, at: number): Work<boolean> {
  const params = { ...keyParams(key), quantity: grant.quantity, expiresAt: grant.expiresAt, at };
  const useBy = grant.expiresAt === null ? (grant.resetsAt ?? null) : Math.min(grant.expiresAt, grant.resetsAt ?? Number.POSITIVE_INFINITY);
  const inserted = yield* get(insertGrantStatement, { ...params, useBy, purchaseId: grant.purchaseId ?? null, windowIndex: grant.windowIndex ?? null });
  if (!inserted) return false;
  // Paying off debt moves quantity between a grant and the debt, so the quantity grows by the whole grant either way.
  const balance = (yield* get(addToBalanceStatement, params))!;
  // Refused after the write is as good as before it: the error rolls the transaction back.
  assertSafe(balance.quantity, key);
  // Debt is paid off first: what arose before this grant's window ended, oldest first.
  if (balance.debt > 0) {
    const paid = yield* payOffDebt(tx, key, grant.quantity, grant.paysDebtBefore ?? null);
    if (paid > 0) {
      yield* run(
        tx
          .update(itemGrant)
          .set({ remaining: grant.quantity - paid })
          .where(eq(itemGrant.id, inserted.id)),
      );
      yield* run(
        tx
          .update(itemBalance)
          .set({ debt: sql`${itemBalance.debt} - ${paid}` })
          .where(balanceOf(key)),
      );
    }
  }
  yield* insertLedgerRow(tx, key, grant.quantity, balance.quantity, grant.reason, at, { ...grant, grantId: inserted.id });
  return true;
}

/** How many live grants one read of the spend order fetches; most spends need the first. */
const GRANTS_PER_READ = 8;

/**
 * Takes `amount` from live grants in `spendOrder`; returns what is left uncovered. Reads only as
 * many grants as the amount needs, through the partial index on live grants in spend order, so
 * spending costs the same with 1 or 20,000 grants. The caller holds the balance row (lock order),
 * so the grants read here cannot change before they are written.
 */
function* drawFromGrants(tx: Tx, key: ItemKey, amount: number): Work<number> {
  let left = amount;
  while (left > 0) {
    const grants = yield* all(
      tx
        .select({ id: itemGrant.id, remaining: itemGrant.remaining })
        .from(itemGrant)
        .where(and(isCustomer(itemGrant, key.customer), eq(itemGrant.itemId, key.itemId), liveGrant))
        .orderBy(...spendOrder)
        .limit(GRANTS_PER_READ),
    );
    for (const grant of grants) {
      if (left === 0) break;
      const take = Math.min(left, grant.remaining);
      yield* run(
        tx
          .update(itemGrant)
          .set({ remaining: grant.remaining - take })
          .where(eq(itemGrant.id, grant.id)),
      );
      left -= take;
    }
    if (grants.length < GRANTS_PER_READ) break;
  }
  return left;
}

/** Spends `amount` whatever the balance: what grants do not cover becomes debt. */
export function* decreaseFromGrants(tx: Tx, key: ItemKey, amount: number, reason: Reason, at: number, source: LedgerSource = {}): Work<void> {
  const balance = yield* lockBalance(tx, key, at);
  assertSafe(balance.quantity - amount, key);
  const uncovered = yield* drawFromGrants(tx, key, amount);
  yield* recordDebt(tx, key, uncovered, at);
  yield* reduceBalance(tx, key, amount, uncovered, reason, at, source);
}

/**
 * Spends `amount` only if the balance holds it and nothing is due, and returns the quantity left;
 * otherwise returns null and changes nothing. The conditional UPDATE is the check, so no
 * interleaving can overdraw.
 */
export function* tryDecreaseFromBalance(
  tx: Tx,
  key: ItemKey,
  amount: number,
  at: number,
  actor: Actor,
  description: string | null = null,
): Work<number | null> {
  const params = { ...keyParams(key), n: amount, at, actor, description };
  const taken = yield* get(takeStatement, params);
  if (!taken) return null;
  if ((yield* run(takeFromFirstGrantStatement, params)) !== 1) {
    const uncovered = yield* drawFromGrants(tx, key, amount);
    if (uncovered !== 0) throw new Error(`balance and grants disagree for ${key.customer.type}/${key.customer.id}/${key.itemId}`);
  }
  yield* insertLedgerRow(tx, key, -amount, taken.quantity, 'consumption', at, { actor, description });
  return taken.quantity;
}

/**
 * `tryDecreaseFromBalance` as one call of PostgreSQL's `tally_try_decrease` (db/migrations-pg/0010): the
 * balance, the draw from grants in spend order and the ledger row in one round trip, atomic without
 * a transaction. `due`: refused because something is due first, which only settling can tell.
 */
const tryDecreaseStatement = statement((tx) =>
  tx
    .select({ left: sql<number | null>`left_after`.mapWith(Number), due: sql<boolean>`due` })
    .from(
      sql`tally_try_decrease(${sql.placeholder('type')}, ${sql.placeholder('id')}, ${sql.placeholder('item')}, ${sql.placeholder('n')}, ${sql.placeholder('at')}, ${sql.placeholder('actor')}, ${sql.placeholder('description')})`,
    ),
);

/** PostgreSQL only: run it on its own (`db.read`), not inside a transaction, or it gains nothing. */
export function* tryDecreaseInOneCall(
  _tx: Tx,
  key: ItemKey,
  amount: number,
  at: number,
  actor: Actor,
  description: string | null,
): Work<{ left: number | null; due: boolean }> {
  return (yield* get(tryDecreaseStatement, { ...keyParams(key), n: amount, at, actor, description }))!;
}

/** What is left of a grant drops out when it expires. */
export function* expireGrant(tx: Tx, key: ItemKey, grant: Pick<ItemGrant, 'id' | 'remaining' | 'expiresAt' | 'purchaseId'>): Work<void> {
  const at = grant.expiresAt!;
  // Also records the expiry itself: a grant replaced by its next window expires when that begins.
  yield* run(expireGrantStatement, { grant: grant.id, at });
  yield* reduceBalance(tx, key, grant.remaining, 0, 'expiry', at, { purchaseId: grant.purchaseId, grantId: grant.id });
}

/**
 * Takes back a grant that has not expired: what is left of it, and what was spent of it from the
 * other grants or as debt (a refund can arrive after the credits were used).
 */
export function* revokeGrant(tx: Tx, key: ItemKey, grant: ItemGrant, at: number, source: LedgerSource): Work<void> {
  if (grant.revokedAt !== null) return;
  yield* run(tx.update(itemGrant).set({ remaining: 0, revokedAt: at }).where(eq(itemGrant.id, grant.id)));
  if (grant.expiresAt !== null && grant.expiresAt <= at) return;
  const uncovered = yield* drawFromGrants(tx, key, grant.quantity - grant.remaining);
  yield* recordDebt(tx, key, uncovered, at);
  yield* reduceBalance(tx, key, grant.quantity, uncovered, 'refund', at, { ...source, grantId: grant.id });
}

/**
 * A window refunded before it was granted: an empty, revoked grant holds its place, so the unique
 * `(purchase, item, window)` refuses the grant when its window comes due.
 */
export function* holdRevokedWindow(tx: Tx, key: ItemKey, purchaseId: string, windowIndex: number, at: number): Work<void> {
  yield* run(
    tx
      .insert(itemGrant)
      .values({
        customerType: key.customer.type,
        customerId: key.customer.id,
        itemId: key.itemId,
        purchaseId,
        windowIndex,
        quantity: 0,
        remaining: 0,
        grantedAt: at,
        expiresAt: null,
        revokedAt: at,
      })
      .onConflictDoNothing(),
  );
}

/** The live grant that expires soonest, if any: due when its expiry is at or before now, else the next event. */
export function* soonestExpiringGrant(_tx: Tx, key: ItemKey) {
  return yield* get(soonestExpiringStatement, keyParams(key));
}

/** When settling must happen next; creates the balance row if the item has none yet. */
export function* setNextEvent(_tx: Tx, key: ItemKey, nextEventAt: number | null, now: number): Work<void> {
  yield* run(nextEventStatement, { ...keyParams(key), next: nextEventAt, at: now });
}

const readBalancesStatement = statement((tx) =>
  tx
    .select({ itemId: itemBalance.itemId, quantity: itemBalance.quantity, nextEventAt: itemBalance.nextEventAt })
    .from(itemBalance)
    .where(isCustomerParam(itemBalance)),
);

/** Every balance row of a customer: one indexed read. */
export function* readBalances(_tx: Tx, customer: CustomerRef) {
  return yield* all(readBalancesStatement, customerParams(customer));
}

export function* readBalance(_tx: Tx, key: ItemKey) {
  return yield* get(readBalanceStatement, keyParams(key));
}

export function* grantsOfPurchase(tx: Tx, purchaseId: string, options: { withRevoked?: boolean } = {}) {
  const where = options.withRevoked ? eq(itemGrant.purchaseId, purchaseId) : and(eq(itemGrant.purchaseId, purchaseId), isNull(itemGrant.revokedAt));
  return yield* all(tx.select().from(itemGrant).where(where));
}
