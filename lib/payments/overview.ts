import type { Db } from '../../db';
import type { CustomerRef } from './customer-ref';
import { grantTotals, sourcesOfItems } from './item-sources';
import { itemSnapshot } from './items';
import { productListings } from './products';
import { listPurchases } from './purchase-rows';
import { itemIdsFor, readSettled } from './settlement';

/**
 * Everything the dashboard shows of a customer's billing (its items, products and where each item's
 * quantity comes from) in three reads, settled: the balance rows say whether anything is due, and
 * only then is there a write transaction, to settle before reading.
 */
export async function customerOverview(db: Db, customer: CustomerRef, now: number) {
  const rows = await readSettled(db, customer, now, function* (tx, balances) {
    return { balances, purchases: yield* listPurchases(tx, customer), grants: yield* grantTotals(tx, customer) };
  });
  const quantities = new Map(rows.balances.map((row) => [row.itemId, row.quantity]));
  return {
    items: itemIdsFor(customer.type).map((id) => itemSnapshot(id, quantities.get(id) ?? 0)),
    products: productListings(customer, rows.purchases, now),
    sources: sourcesOfItems(customer, rows.grants, rows.purchases, now),
  };
}
