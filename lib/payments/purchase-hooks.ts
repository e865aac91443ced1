import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { activityNote, purchaseChange } from '../../db/schema';
import { run, statement, type Work } from '../../db/work';
import { clockFrom, defineOutbox } from '../outbox';
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

/** A hook's longest run: the change then counts as failed. */
const HOOK_TIMEOUT_MS = 6_000;

/** `signal` aborts when the hook has run HOOK_TIMEOUT_MS: pass it to what can stop then (`fetch`, an SDK call). */
export type PurchaseHook = (change: PurchaseChange, db: Db, signal: AbortSignal) => Promise<void>;

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
  const product = catalog.products[change.productId];
  const name = product?.displayName ?? change.productId;
  // A pack is bought, not started: only what repeats (a plan, a subscription) starts and renews.
  const oneOff = product !== undefined && product.price !== 'include-by-default' && !product.price.interval;
  const text = change.change === 'started' && oneOff ? `Bought ${name}` : `${name} ${change.change}`;
  const { customer } = change;
  const note = { id: change.id, customerType: customer.type, customerId: customer.id, text, createdAt: change.at };
  await db.read(() => run(noteStatement, note)); // one statement: no transaction needed
};

/**
 * `onPurchaseChanged`: the one place to react when a purchase starts, renews, ends or is refunded
 * (send a welcome mail, provision something, tell another system). Hooks run in order, once per
 * change, after the transaction that made it commits; one that throws, or runs longer than 6 s
 * (its `signal` aborts then), is retried later, with growing delays, and never undoes or repeats the
 * grant. A retry runs every hook of the change again: make each one idempotent by `change.id`.
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

const changeOutbox = defineOutbox({
  name: 'purchase change',
  table: purchaseChange,
  columns: { id: 'id', order: 'at', handledAt: 'handledAt', dueAt: 'leasedUntil', attempts: 'attempts', lastError: 'lastError' },
  timeoutMs: HOOK_TIMEOUT_MS,
});

/**
 * Runs the hooks of every change not handled yet, oldest first, each within HOOK_TIMEOUT_MS
 * (lib/outbox.ts: leased in batches, so instances dispatching at once run each once; a failed
 * change waits 2^attempts seconds for the next call). Called after each webhook and server-side grant.
 */
export async function dispatchPurchaseChanges(db: Db, now: number, hooks: PurchaseHook[] = onPurchaseChanged): Promise<void> {
  await changeOutbox.dispatch(
    db,
    hooks.map((hook) => (row, signal) => hook(changeOf(row), db, signal)),
    clockFrom(now),
  );
}

function changeOf(row: typeof purchaseChange.$inferSelect): PurchaseChange {
  return {
    id: row.id,
    purchaseId: row.purchaseId,
    customer: { type: row.customerType, id: row.customerId },
    productId: row.productId,
    change: row.change,
    at: row.at,
  };
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
