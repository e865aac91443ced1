import { and, sql } from 'drizzle-orm';
import type { Tx } from '../../db';
import { all, type WorkResult } from '../../db/work';
import { itemGrant } from '../../db/schema';
import { isCustomer, type CustomerRef } from './customer-ref';
import { isLive, type PurchaseRow } from './purchase-rows';
import { itemIdsFor, windowStart, windowsStartingIn } from './settlement';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

export type ItemSource = { label: string; remaining: number; expiresAt: number | null };
export type ItemSources = { sources: ItemSource[]; nextRefill: { at: number; quantity: number; product: string } | null };

/** What is left of a customer's live grants, by item and purchase: one grouped read. */
export function* grantTotals(tx: Tx, customer: CustomerRef) {
  return yield* all(
    tx
      .select({
        itemId: itemGrant.itemId,
        purchaseId: itemGrant.purchaseId,
        remaining: sql<number>`sum(${itemGrant.remaining})`,
        expiresAt: sql<number | null>`min(${itemGrant.expiresAt})`,
      })
      .from(itemGrant)
      .where(and(isCustomer(itemGrant, customer), sql`${itemGrant.remaining} > 0`))
      .groupBy(itemGrant.itemId, itemGrant.purchaseId),
  );
}

type GrantTotal = WorkResult<ReturnType<typeof grantTotals>>[number];

/**
 * Where each of a customer's items comes from (what is left of each purchase's grants, and of
 * grants added by hand or by the API) and its next refill: the soonest repeat window of a live
 * purchase that will still be running then. From rows read settled (`customerOverview`):
 * `purchases`, every purchase of the customer.
 */
export function sourcesOfItems(customer: CustomerRef, grants: GrantTotal[], purchases: PurchaseRow[], now: number): Map<string, ItemSources> {
  const live = purchases.filter((p) => isLive(p, now));
  return new Map(
    itemIdsFor(customer.type).map((itemId) => [
      itemId,
      sourcesOf(
        itemId,
        grants.filter((g) => g.itemId === itemId),
        live,
        now,
      ),
    ]),
  );
}

function sourcesOf(
  itemId: string,
  grants: { purchaseId: string | null; remaining: number; expiresAt: number | null }[],
  purchases: PurchaseRow[],
  now: number,
): ItemSources {
  const byId = new Map(purchases.map((p) => [p.id, p]));
  // Each repeating purchase's next window: when it refills, and when what it gave resets.
  const nextWindow = new Map<string, number>();
  for (const p of purchases) {
    const included = p.product.includedItems[itemId];
    if (!included || included.repeat === 'never') continue;
    const [next] = windowsStartingIn(p, included, now + 1, now + YEAR_MS).map((index) => windowStart(p, included, index));
    // A plan set to end at its period's end, or ended, refills no more.
    const endsBy = p.endedAt ?? (p.cancelAtPeriodEnd ? (p.paidThrough ?? now) : Infinity);
    if (next !== undefined && next < endsBy) nextWindow.set(p.id, next);
  }
  const sources = grants
    .map((g) => {
      const p = g.purchaseId ? byId.get(g.purchaseId) : undefined;
      const resetsAt = p?.product.includedItems[itemId]?.expires === 'when-repeated' ? (nextWindow.get(p.id) ?? null) : null;
      const expiresAt = g.expiresAt === null ? resetsAt : Math.min(Number(g.expiresAt), resetsAt ?? Infinity);
      return {
        label: g.purchaseId ? (p?.product.displayName ?? 'An earlier purchase') : 'Added',
        remaining: Number(g.remaining),
        expiresAt,
      };
    })
    .sort((a, b) => b.remaining - a.remaining);
  let nextRefill: ItemSources['nextRefill'] = null;
  for (const p of purchases) {
    const at = nextWindow.get(p.id);
    if (at !== undefined && (!nextRefill || at < nextRefill.at)) {
      nextRefill = { at, quantity: p.product.includedItems[itemId]!.quantity * p.quantity, product: p.product.displayName };
    }
  }
  return { sources, nextRefill };
}
