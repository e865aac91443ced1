import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Queryable } from '../../db';
import { purchase, type Purchase } from '../../db/schema';
import { productSchema, type Product } from './catalog-schema';
import { isCustomer, type CustomerRef } from './customer-ref';

/** Purchase rows: what a customer holds. How they turn into grants is ./settlement.ts. */

export type PurchaseRow = Omit<Purchase, 'product'> & { product: Product };

/** The product snapshot is JSON from the database: parsed, not trusted, so a bad row fails loudly here. */
function toRow(row: Purchase): PurchaseRow {
  return { ...row, product: productSchema.parse(row.product) };
}

export function listPurchases(tx: Queryable, customer: CustomerRef): PurchaseRow[] {
  return tx.select().from(purchase).where(isCustomer(purchase, customer)).all().map(toRow);
}

export function getPurchase(tx: Queryable, id: string): PurchaseRow | undefined {
  const row = tx.select().from(purchase).where(eq(purchase.id, id)).get();
  return row && toRow(row);
}

export type NewPurchase = {
  customer: CustomerRef;
  productId: string;
  product: Product;
  quantity: number;
  source: PurchaseRow['source'];
  status: PurchaseRow['status'];
  startedAt: number;
  paidThrough: number | null;
  stripeSubscriptionId?: string | null;
  stripePaymentIntentId?: string | null;
  cancelAtPeriodEnd?: boolean;
};

export function insertPurchase(tx: Queryable, input: NewPurchase, now: number): PurchaseRow {
  const row = {
    id: randomUUID(),
    customerType: input.customer.type,
    customerId: input.customer.id,
    productId: input.productId,
    productLine: input.product.productLine ?? null,
    product: input.product,
    quantity: input.quantity,
    source: input.source,
    status: input.status,
    startedAt: input.startedAt,
    paidThrough: input.paidThrough,
    cancelAtPeriodEnd: input.cancelAtPeriodEnd ?? false,
    endedAt: null,
    stripeSubscriptionId: input.stripeSubscriptionId ?? null,
    stripePaymentIntentId: input.stripePaymentIntentId ?? null,
    createdAt: now,
  };
  tx.insert(purchase).values(row).run();
  return row;
}

export function livePurchases(tx: Queryable, customer: CustomerRef, now: number): PurchaseRow[] {
  return listPurchases(tx, customer).filter((p) => p.status !== 'refunded' && p.startedAt <= now && (p.endedAt === null || p.endedAt > now));
}

/** A Stripe subscription that still charges, or may charge, the customer (by Stripe's status, not the clock). */
export function hasLiveSubscription(tx: Queryable, customer: CustomerRef): boolean {
  const where = and(isCustomer(purchase, customer), isNotNull(purchase.stripeSubscriptionId), inArray(purchase.status, ['active', 'trialing', 'past_due']));
  return !!tx.select({ id: purchase.id }).from(purchase).where(where).get();
}
