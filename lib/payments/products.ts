import type { Db, Tx } from '../../db';
import type { Work } from '../../db/work';
import { AppError } from '../errors';
import { catalog } from './catalog';
import type { Product } from './catalog-schema';
import { type CustomerRef, customersOfType } from './customer-ref';
import type { Duration } from './duration';
import { isLive, listPurchases, livePurchases, type PurchaseRow } from './purchase-rows';
import { createPurchase, endPurchase } from './purchases';
import { readSettled, settleCustomerIfDue } from './settlement';

export function requireProduct(customer: CustomerRef, productId: unknown): { id: string; product: Product } {
  const product = typeof productId === 'string' && Object.hasOwn(catalog.products, productId) ? catalog.products[productId] : undefined;
  if (!product || product.customerType !== customer.type) {
    throw new AppError('product_not_found', `There is no product "${String(productId)}" for ${customersOfType(customer.type)}.`);
  }
  return { id: productId as string, product };
}

/**
 * What the catalog allows a customer to buy (or a server to grant): the product exists for this
 * customer type, a browser cannot buy a server-only product, only stackable products come in
 * quantities or twice, and an add-on needs its base product.
 */
export function* checkPurchasable(
  tx: Tx,
  customer: CustomerRef,
  productId: unknown,
  quantity: number,
  options: { server: boolean; now: number },
): Work<{ id: string; product: Product }> {
  const { id, product } = requireProduct(customer, productId);
  if (product.serverOnly && !options.server) throw new AppError('forbidden', `${product.displayName} can only be granted by the server.`);
  if (product.price === 'include-by-default')
    throw new AppError('not_purchasable', `${product.displayName} is included for everyone; there is nothing to buy.`);
  if (quantity !== 1 && !product.stackable) throw new AppError('not_purchasable', `${product.displayName} can only be bought once, in quantity 1.`);
  yield* settleCustomerIfDue(tx, customer, options.now);
  const live = yield* livePurchases(tx, customer, options.now);
  if (!product.stackable && live.some((p) => p.productId === id)) throw new AppError('already_owned', `You already have ${product.displayName}.`);
  if (product.isAddOnTo?.length && !live.some((p) => product.isAddOnTo!.includes(p.productId))) {
    const bases = product.isAddOnTo.map((baseId) => catalog.products[baseId]?.displayName ?? baseId).join(' or ');
    throw new AppError('requires_base_product', `${product.displayName} is an add-on: get ${bases} first.`);
  }
  return { id, product };
}

/**
 * The free trial a customer is offered for a product: once per product line (or product, without
 * one), to a customer who never had a Stripe purchase of it, trial or paid, ended or live.
 */
export function trialOffered(productId: string, product: Product, purchases: PurchaseRow[]): Duration | null {
  if (!product.freeTrial) return null;
  const line = product.productLine;
  const hadOne = purchases.some((p) => p.source === 'stripe' && (line ? p.productLine === line : p.productId === productId));
  return hadOne ? null : product.freeTrial;
}

/** Server-side grant without payment: promotions, server-only products, support. */
export function grantProduct(db: Db, customer: CustomerRef, productId: unknown, quantity: number, now: number): Promise<PurchaseRow> {
  return db.write(function* (tx) {
    const { id, product } = yield* checkPurchasable(tx, customer, productId, quantity, { server: true, now });
    return yield* createPurchase(tx, { customer, productId: id, product, quantity, source: 'grant', status: 'active', startedAt: now, paidThrough: null }, now);
  });
}

/** Ends a granted product now. Stripe subscriptions are cancelled through Stripe instead. */
export function endGrantedProduct(db: Db, customer: CustomerRef, productId: unknown, now: number): Promise<void> {
  return db.write(function* (tx) {
    const { id, product } = requireProduct(customer, productId);
    yield* settleCustomerIfDue(tx, customer, now);
    const live = (yield* livePurchases(tx, customer, now)).filter((p) => p.productId === id && p.source !== 'default');
    if (live.length === 0) throw new AppError('not_found', `You do not have ${product.displayName}.`);
    // Ending a paid subscription only here would keep charging the customer at Stripe.
    if (live.some((p) => p.source === 'stripe')) {
      throw new AppError('product_billed_through_stripe', `${product.displayName} is billed through Stripe: cancel it from the billing page or Stripe.`);
    }
    for (const p of live) yield* endPurchase(tx, p.id, now, now, 'canceled');
  });
}

/** The catalog for this customer, with what it holds, settled first. */
export async function listProducts(db: Db, customer: CustomerRef, now: number): Promise<ProductListing[]> {
  return productListings(customer, await readSettled(db, customer, now, (tx) => listPurchases(tx, customer)), now);
}

export type ProductListing = ReturnType<typeof productListings>[number];

/**
 * The catalog for this customer, with what it holds of each product (`owned`: live purchases, a
 * subscription, granted product or stacked packs) and the free trial it would get by subscribing
 * now. Server-only products are listed only when held. `all`: every purchase of the customer.
 */
export function productListings(customer: CustomerRef, all: PurchaseRow[], now: number) {
  const live = all.filter((p) => isLive(p, now));
  return Object.entries(catalog.products)
    .filter(([, product]) => product.customerType === customer.type)
    .map(([id, product]) => ({
      id,
      displayName: product.displayName,
      description: product.description,
      price: product.price,
      includedItems: product.includedItems,
      stackable: product.stackable,
      productLine: product.productLine ?? null,
      isAddOnTo: product.isAddOnTo ?? ([] as string[]),
      isDefault: product.price === 'include-by-default',
      freeTrial: trialOffered(id, product, all),
      owned: live
        .filter((p) => p.productId === id)
        .map((p) => ({
          purchaseId: p.id,
          quantity: p.quantity,
          status: p.status,
          source: p.source,
          cancelAtPeriodEnd: p.cancelAtPeriodEnd,
          paidThrough: p.paidThrough,
          startedAt: p.startedAt,
        })),
    }))
    .filter((listing) => !catalog.products[listing.id]!.serverOnly || listing.owned.length > 0);
}
