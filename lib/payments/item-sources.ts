import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { all } from '../../db/work';
import { itemGrant } from '../../db/schema';
import { isCustomer, type ItemKey } from './customer-ref';
import { livePurchases } from './purchase-rows';
import { windowStart, windowsStartingIn } from './settlement';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

export type ItemSource = { label: string; remaining: number; expiresAt: number | null };
export type ItemSources = { sources: ItemSource[]; nextRefill: { at: number; quantity: number; product: string } | null };

/**
 * Where an item's quantity comes from (what is left of each purchase's grants, and of grants added
 * by hand or by the API) and its next refill: the soonest repeat window of a live purchase that
 * will still be running then. For the dashboard; read after the quantity, so it is settled.
 */
export async function itemSources(db: Db, key: ItemKey, now: number): Promise<ItemSources> {
  return db.read(function* (tx) {
    const grants = yield* all(
      tx
        .select({
          purchaseId: itemGrant.purchaseId,
          remaining: sql<number>`sum(${itemGrant.remaining})`,
          expiresAt: sql<number | null>`min(${itemGrant.expiresAt})`,
        })
        .from(itemGrant)
        .where(and(isCustomer(itemGrant, key.customer), eq(itemGrant.itemId, key.itemId), sql`${itemGrant.remaining} > 0`))
        .groupBy(itemGrant.purchaseId),
    );
    const purchases = yield* livePurchases(tx, key.customer, now);
    const byId = new Map(purchases.map((p) => [p.id, p]));
    // Each repeating purchase's next window: when it refills, and when what it gave resets.
    const nextWindow = new Map<string, number>();
    for (const p of purchases) {
      const included = p.product.includedItems[key.itemId];
      if (!included || included.repeat === 'never') continue;
      const [next] = windowsStartingIn(p, included, now + 1, now + YEAR_MS).map((index) => windowStart(p, included, index));
      // A plan set to end at its period's end, or ended, refills no more.
      const endsBy = p.endedAt ?? (p.cancelAtPeriodEnd ? (p.paidThrough ?? now) : Infinity);
      if (next !== undefined && next < endsBy) nextWindow.set(p.id, next);
    }
    const sources = grants
      .map((g) => {
        const p = g.purchaseId ? byId.get(g.purchaseId) : undefined;
        const resetsAt = p?.product.includedItems[key.itemId]?.expires === 'when-repeated' ? (nextWindow.get(p.id) ?? null) : null;
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
        nextRefill = { at, quantity: p.product.includedItems[key.itemId]!.quantity * p.quantity, product: p.product.displayName };
      }
    }
    return { sources, nextRefill };
  });
}
