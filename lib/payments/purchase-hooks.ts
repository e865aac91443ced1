import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { activityNote, purchaseChange } from '../../db/schema';
import { all, run, statement, type Work } from '../../db/work';
import { catalog } from './catalog';
import type { CustomerRef } from './customer-ref';
import type { PurchaseRow } from './purchase-rows';

/**
 * A change to a purchase, as hooks receive it, after it was committed (its items are granted or
 * taken back by then). `id` names the purchase and the change: a hook run again after a failure
 * sees the same id, so it can skip what it already did.
 */
export type PurchaseChange = {
  id: string;
  purchaseId: string;
  customer: CustomerRef;
  productId: string;
  change: 'started' | 'renewed' | 'ended' | 'refunded';
  at: number;
};

export type PurchaseHook = (change: PurchaseChange, db: Db) => Promise<void>;

const noteStatement = statement((tx) =>
  tx
    .insert(activityNote)
    .values({
      id: sql.placeholder('id'),
      customerType: sql.placeholder('customerType'),
      customerId: sql.placeholder('customerId'),
      text: sql.placeholder('text'),
      createdAt: sql.placeholder('createdAt'),
    })
    .onConflictDoNothing(),
);

/** The demo's hook: a billing event on the customer's activity page, once per change. */
const noteInActivity: PurchaseHook = async (change, db) => {
  const name = catalog.products[change.productId]?.displayName ?? change.productId;
  const { customer } = change;
  const note = { id: change.id, customerType: customer.type, customerId: customer.id, text: `${name} ${change.change}`, createdAt: change.at };
  await db.read(() => run(noteStatement, note)); // one statement: no transaction needed
};

/**
 * `onPurchaseChanged`: the one place to react when a purchase starts, renews, ends or is refunded
 * (send a welcome mail, provision something, tell another system). Hooks run in order, once per
 * change, after the transaction that made it commits; one that throws is retried later, with
 * growing delays, and never undoes or repeats the grant. A retry runs every hook of the change
 * again: make each one idempotent by `change.id`.
 */
export const onPurchaseChanged: PurchaseHook[] = [noteInActivity];

const recordStatement = statement((tx) =>
  tx
    .insert(purchaseChange)
    .values({
      id: sql.placeholder('id'),
      purchaseId: sql.placeholder('purchaseId'),
      customerType: sql.placeholder('customerType'),
      customerId: sql.placeholder('customerId'),
      productId: sql.placeholder('productId'),
      change: sql.placeholder('change'),
      at: sql.placeholder('at'),
    })
    .onConflictDoNothing(),
);

/** Records a change in the transaction that makes it; recording the same change again is a no-op. Free defaults are not purchases anyone made. */
export function* recordPurchaseChange(_tx: Tx, p: PurchaseRow, change: PurchaseChange['change'], at: number, key: string = change): Work<void> {
  if (p.source === 'default') return;
  const row = { id: `${p.id}:${key}`, purchaseId: p.id, customerType: p.customerType, customerId: p.customerId, productId: p.productId, change, at };
  yield* run(recordStatement, row);
}

const LEASE_MS = 120_000;
const MAX_ATTEMPTS = 10;
/** How many changes one statement leases; a dispatch usually finds one or none. */
const LEASE_BATCH = 10;

const due = and(
  isNull(purchaseChange.handledAt),
  lt(purchaseChange.attempts, MAX_ATTEMPTS),
  or(isNull(purchaseChange.leasedUntil), lt(purchaseChange.leasedUntil, sql.placeholder('now'))),
);
/** Leases the oldest due changes; a row another instance leased meanwhile no longer matches `due` when it is checked again. */
const leaseStatement = statement((tx) =>
  tx
    .update(purchaseChange)
    .set({ leasedUntil: sql`${sql.placeholder('until')}` })
    .where(
      and(
        due,
        inArray(purchaseChange.id, tx.select({ id: purchaseChange.id }).from(purchaseChange).where(due).orderBy(asc(purchaseChange.at)).limit(LEASE_BATCH)),
      ),
    )
    .returning(),
);
const handledStatement = statement((tx) =>
  tx
    .update(purchaseChange)
    .set({ handledAt: sql`${sql.placeholder('now')}`, lastError: null })
    .where(eq(purchaseChange.id, sql.placeholder('id'))),
);

/**
 * Runs the hooks of every change not handled yet, oldest first. Changes are leased (one UPDATE
 * per batch) before their hooks run, so instances dispatching at once run each once. Called after
 * each webhook and server-side grant; a failed change waits 2^attempts seconds for the next call.
 * Every statement here is atomic by itself: none needs a transaction (`db.read`).
 */
export async function dispatchPurchaseChanges(db: Db, now: number, hooks: PurchaseHook[] = onPurchaseChanged): Promise<void> {
  // A later batch's lease runs from when it is taken, not from when the dispatch began.
  const started = Date.now();
  for (;;) {
    const until = now + (Date.now() - started) + LEASE_MS;
    const leased = await db.read(() => all(leaseStatement, { now, until }));
    for (const row of leased.sort((a, b) => a.at - b.at)) await runHooks(db, row, now, hooks);
    if (leased.length < LEASE_BATCH) return;
  }
}

/**
 * A hook's longest run: a batch's leases (LEASE_MS) must outlast its hooks, or another instance
 * would run them again, and a hook that never settles must not stall every later dispatch.
 */
const HOOK_TIMEOUT_MS = LEASE_MS / LEASE_BATCH / 2;

function withTimeout(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a hook took longer than ${HOOK_TIMEOUT_MS / 1000} s`)), HOOK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const registry = globalThis as { tallyHookDispatch?: { again: boolean; done: Promise<void> } };

/**
 * `dispatchPurchaseChanges` after a request. When this process is dispatching already, that
 * dispatch makes one more pass instead, which starts after this call and so sees every change
 * committed before it: requests finishing together share one dispatch instead of racing for the
 * same leases. On globalThis: Next.js may load this module more than once in one process.
 */
export function dispatchPurchaseChangesSoon(db: Db): Promise<void> {
  const running = registry.tallyHookDispatch;
  if (running) {
    running.again = true;
    return running.done;
  }
  const dispatch = { again: false, done: Promise.resolve() };
  registry.tallyHookDispatch = dispatch;
  dispatch.done = (async () => {
    try {
      do {
        dispatch.again = false;
        await dispatchPurchaseChanges(db, Date.now());
      } while (dispatch.again);
    } finally {
      registry.tallyHookDispatch = undefined;
    }
  })();
  return dispatch.done;
}

async function runHooks(db: Db, row: typeof purchaseChange.$inferSelect, now: number, hooks: PurchaseHook[]): Promise<void> {
  const change: PurchaseChange = {
    id: row.id,
    purchaseId: row.purchaseId,
    customer: { type: row.customerType, id: row.customerId },
    productId: row.productId,
    change: row.change,
    at: row.at,
  };
  try {
    for (const hook of hooks) await withTimeout(hook(change, db));
    await db.read(() => run(handledStatement, { id: row.id, now }));
  } catch (error) {
    console.error(`onPurchaseChanged failed for ${row.id} (attempt ${row.attempts + 1})`, error);
    const retryAt = now + 1000 * 2 ** row.attempts;
    await db.read((tx) =>
      run(
        tx
          .update(purchaseChange)
          .set({ attempts: sql`${purchaseChange.attempts} + 1`, lastError: String(error instanceof Error ? error.message : error), leasedUntil: retryAt })
          .where(eq(purchaseChange.id, row.id)),
      ),
    );
  }
}
