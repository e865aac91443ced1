import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Tx } from '../../db';
import { all, get, run, type Work } from '../../db/work';
import { purchase, type Purchase } from '../../db/schema';
import { productSchema, type Product } from './catalog-schema';
import { isCustomer, type CustomerRef } from './customer-ref';

/** Purchase rows: what a customer holds. How they turn into grants is ./settlement.ts. */

export type PurchaseRow = Omit<Purchase, 'product'> & { product: Product };

/** The product snapshot is JSON from the database: parsed, not trusted, so a bad row fails loudly here. */
function toRow(row: Purchase): PurchaseRow {
  return { ...row, product: productSchema.parse(row.product) };
}

export function* listPurchases(tx: Tx, customer: CustomerRef): Work<PurchaseRow[]> {
  return (yield* all(tx.select().from(purchase).where(isCustomer(purchase, customer)))).map(toRow);
}

export function* getPurchase(tx: Tx, id: string): Work<PurchaseRow | undefined> {
  return yield* findPurchase(tx, 'id', id);
}

/** A purchase by one of its unique keys: its id, its Stripe subscription or payment intent. */
export function* findPurchase(tx: Tx, column: 'id' | 'stripeSubscriptionId' | 'stripePaymentIntentId', value: string): Work<PurchaseRow | undefined> {
  const row = yield* get(tx.select().from(purchase).where(eq(purchase[column], value)));
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
  trialEndsAt?: number | null;
  stripeSubscriptionId?: string | null;
  stripePaymentIntentId?: string | null;
  cancelAtPeriodEnd?: boolean;
};

export function* insertPurchase(tx: Tx, input: NewPurchase, now: number): Work<PurchaseRow> {
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
    trialEndsAt: input.trialEndsAt ?? null,
    cancelAtPeriodEnd: input.cancelAtPeriodEnd ?? false,
    endedAt: null,
    stripeSubscriptionId: input.stripeSubscriptionId ?? null,
    stripePaymentIntentId: input.stripePaymentIntentId ?? null,
    createdAt: now,
  };
  yield* run(tx.insert(purchase).values(row));
  return row;
}

export const isLive = (p: PurchaseRow, now: number) => p.status !== 'refunded' && p.startedAt <= now && (p.endedAt === null || p.endedAt > now);

export function* livePurchases(tx: Tx, customer: CustomerRef, now: number): Work<PurchaseRow[]> {
  return (yield* listPurchases(tx, customer)).filter((p) => isLive(p, now));
}

/** Stripe subscriptions that still charge, or may charge, the customer (by Stripe's status, not the clock). */
export function* chargingSubscriptions(tx: Tx, customer: CustomerRef): Work<PurchaseRow[]> {
  const where = and(isCustomer(purchase, customer), isNotNull(purchase.stripeSubscriptionId), inArray(purchase.status, ['active', 'trialing', 'past_due']));
  return (yield* all(tx.select().from(purchase).where(where))).map(toRow);
}

export function* hasLiveSubscription(tx: Tx, customer: CustomerRef): Work<boolean> {
  return (yield* chargingSubscriptions(tx, customer)).length > 0;
}
