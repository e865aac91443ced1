import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db';
import { all, get, run, statement, type Work } from '../../db/work';
import { purchase, type Purchase } from '../../db/schema';
import { productSchema, type Product } from './catalog-schema';
import { customerParams, isCustomer, isCustomerParam, type CustomerRef } from './customer-ref';

/** Purchase rows: what a customer holds. How they turn into grants is ./settlement.ts. */

export type PurchaseRow = Omit<Purchase, 'product'> & { product: Product };

/** The product snapshot is JSON from the database: parsed, not trusted, so a bad row fails loudly here. */
function toRow(row: Purchase): PurchaseRow {
  return { ...row, product: productSchema.parse(row.product) };
}

// Statements: the webhook reads and writes purchases on every event (../../db/work.ts).
// In creation order: windows of two purchases starting at the same instant are granted in it, on both dialects.
const listStatement = statement((tx) => tx.select().from(purchase).where(isCustomerParam(purchase)).orderBy(purchase.createdAt, purchase.id));
type UniqueKey = 'id' | 'stripeSubscriptionId' | 'stripePaymentIntentId';
const findBy = (column: UniqueKey) =>
  statement((tx) =>
    tx
      .select()
      .from(purchase)
      .where(eq(purchase[column], sql.placeholder('value'))),
  );
const findStatements = { id: findBy('id'), stripeSubscriptionId: findBy('stripeSubscriptionId'), stripePaymentIntentId: findBy('stripePaymentIntentId') };
const insertStatement = statement((tx) =>
  tx.insert(purchase).values({
    id: sql.placeholder('id'),
    customerType: sql.placeholder('customerType'),
    customerId: sql.placeholder('customerId'),
    productId: sql.placeholder('productId'),
    productLine: sql.placeholder('productLine'),
    product: sql.placeholder('product'),
    quantity: sql.placeholder('quantity'),
    source: sql.placeholder('source'),
    status: sql.placeholder('status'),
    startedAt: sql.placeholder('startedAt'),
    paidThrough: sql.placeholder('paidThrough'),
    trialEndsAt: sql.placeholder('trialEndsAt'),
    cancelAtPeriodEnd: sql.placeholder('cancelAtPeriodEnd'),
    endedAt: sql.placeholder('endedAt'),
    stripeSubscriptionId: sql.placeholder('stripeSubscriptionId'),
    stripePaymentIntentId: sql.placeholder('stripePaymentIntentId'),
    createdAt: sql.placeholder('createdAt'),
  }),
);

export function* listPurchases(_tx: Tx, customer: CustomerRef): Work<PurchaseRow[]> {
  return (yield* all(listStatement, customerParams(customer))).map(toRow);
}

export function* getPurchase(tx: Tx, id: string): Work<PurchaseRow | undefined> {
  return yield* findPurchase(tx, 'id', id);
}

/** A purchase by one of its unique keys: its id, its Stripe subscription or payment intent. */
export function* findPurchase(_tx: Tx, column: UniqueKey, value: string): Work<PurchaseRow | undefined> {
  const row = yield* get(findStatements[column], { value });
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

export function* insertPurchase(_tx: Tx, input: NewPurchase, now: number): Work<PurchaseRow> {
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
  yield* run(insertStatement, row);
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
