import type { z } from 'zod';
import type { Db } from '../../db';
import type { CustomerClock } from '../clock';
import { customerExists } from '../customers/server-customer';
import { AppError } from '../errors';
import { catalog } from '../payments/catalog';
import type { Product } from '../payments/catalog-schema';
import type { CustomerRef } from '../payments/customer-ref';
import { applyQuantityUpdate, getQuantity } from '../payments/items';
import { endGrantedProduct, grantProduct as grantCatalogProduct, listProducts } from '../payments/products';
import { dispatchPurchaseChanges } from '../payments/purchase-hooks';
import type {
  customerParams,
  inlineProduct,
  grantProductBody,
  itemParams,
  itemResponse,
  productParams,
  productsQuery,
  productsResponse,
  updateQuantityBody,
  updateQuantityQuery,
} from './schemas';

/**
 * The server REST API for the Customer methods, compatible with Stack Auth's payments API: the same
 * paths, bodies, status codes and known errors (`{ code, error, details }`), so a Stack Auth
 * client needs only its authentication headers changed. Callers are trusted servers (the secret
 * key), so any user, team or custom customer may be named; the rules of the catalog still hold.
 */
export type RestDeps = { db: Db; now: CustomerClock };

async function requireCustomer(db: Db, { customer_type, customer_id }: z.output<typeof customerParams>): Promise<CustomerRef> {
  const customer = { type: customer_type, id: customer_id };
  if (!(await customerExists(db, customer))) {
    throw customer_type === 'user'
      ? new AppError('user_not_found', 'User not found.')
      : new AppError('team_not_found', `Team ${customer_id} not found.`, { team_id: customer_id });
  }
  return customer;
}

function requireItem({ customer_type, customer_id, item_id }: z.output<typeof itemParams>) {
  const item = Object.hasOwn(catalog.items, item_id) ? catalog.items[item_id]! : null;
  if (!item) throw new AppError('item_not_found', `Item with ID "${item_id}" not found.`, { item_id });
  if (item.customerType !== customer_type) {
    throw new AppError(
      'item_customer_type_does_not_match',
      `The ${customer_type} with ID "${customer_id}" is not a valid customer for the item with ID "${item_id}". The item is configured to only be available for ${item.customerType} customers, but the customer is a ${customer_type}.`,
      { item_id, customer_id, item_customer_type: item.customerType, actual_customer_type: customer_type },
    );
  }
  return item;
}

function requireProduct({ customer_type, customer_id }: z.output<typeof customerParams>, productId: string): Product {
  const product = Object.hasOwn(catalog.products, productId) ? catalog.products[productId]! : null;
  if (!product) throw new AppError('product_does_not_exist', `Product with ID "${productId}" does not exist.`, { product_id: productId, context: null });
  if (product.customerType !== customer_type) {
    throw new AppError(
      'product_customer_type_does_not_match',
      `The ${customer_type} with ID "${customer_id}" is not a valid customer for the product with ID "${productId}". The product is configured to only be available for ${product.customerType} customers, but the customer is a ${customer_type}.`,
      { product_id: productId, customer_id, product_customer_type: product.customerType, actual_customer_type: customer_type },
    );
  }
  return product;
}

/**
 * A catalog product in Stack Auth's inline-product shape. The catalog has one price per product;
 * it is listed under the id `default`, in major units as Stack writes them (`{ USD: "20.00" }`).
 */
export function toInlineProduct(product: Product): z.input<typeof inlineProduct> {
  const { price } = product;
  return {
    display_name: product.displayName,
    customer_type: product.customerType,
    product_line_id: product.productLine ?? null,
    stackable: product.stackable,
    server_only: product.serverOnly,
    included_items: product.includedItems,
    client_metadata: null,
    client_read_only_metadata: null,
    server_metadata: null,
    prices:
      price === 'include-by-default'
        ? {}
        : {
            default: {
              [price.currency.toUpperCase()]: (price.amount / 100).toFixed(2),
              ...(price.interval ? { interval: price.interval } : {}),
              ...(product.freeTrial ? { free_trial: product.freeTrial } : {}),
            },
          },
  };
}

/** `GET /api/v1/payments/items/{customer_type}/{customer_id}/{item_id}` */
export async function getItem({ db, now }: RestDeps, params: z.output<typeof itemParams>): Promise<z.input<typeof itemResponse>> {
  const item = requireItem(params);
  const customer = await requireCustomer(db, params);
  return { id: params.item_id, display_name: item.displayName, quantity: await getQuantity(db, { customer, itemId: params.item_id }, now(customer)) };
}

/** `POST …/{item_id}/update-quantity?allow_negative=`: with `false`, a negative delta is `tryDecreaseQuantity`. */
export async function updateQuantity(
  { db, now }: RestDeps,
  params: z.output<typeof itemParams>,
  query: z.output<typeof updateQuantityQuery>,
  body: z.output<typeof updateQuantityBody>,
): Promise<Record<string, never>> {
  requireItem(params);
  const customer = await requireCustomer(db, params);
  const change = {
    delta: body.delta,
    expiresAt: body.expires_at === undefined ? null : Date.parse(body.expires_at),
    allowNegative: query.allow_negative === 'true',
    actor: 'system' as const,
    description: body.description ?? null,
  };
  if (!(await applyQuantityUpdate(db, { customer, itemId: params.item_id }, change, now(customer)))) {
    throw new AppError(
      'item_quantity_insufficient_amount',
      `The item with ID "${params.item_id}" has an insufficient quantity for the customer with ID "${params.customer_id}". An attempt was made to charge ${body.delta} credits.`,
      { customer_id: params.customer_id, item_id: params.item_id, quantity: body.delta },
    );
  }
  return {};
}

/** `GET /api/v1/payments/products/{customer_type}/{customer_id}`: what the customer holds, oldest first, a page at a time. */
export async function listOwnedProducts(
  { db, now }: RestDeps,
  params: z.output<typeof customerParams>,
  query: z.output<typeof productsQuery>,
): Promise<z.input<typeof productsResponse>> {
  const customer = await requireCustomer(db, params);
  // One entry per purchase (two packs are two entries), as at Stack: `id` is the product's, the
  // cursor the purchase's.
  const owned = (await listProducts(db, customer, now(customer)))
    .flatMap((listing) =>
      listing.owned.map((purchase) => ({
        startedAt: purchase.startedAt,
        cursor: purchase.purchaseId,
        item: { id: listing.id, quantity: purchase.quantity, product: toInlineProduct(catalog.products[listing.id]!), status: purchase.status },
      })),
    )
    .sort((a, b) => a.startedAt - b.startedAt || a.cursor.localeCompare(b.cursor));
  const start = query.cursor === undefined ? 0 : owned.findIndex((entry) => entry.cursor === query.cursor);
  if (start === -1) throw new AppError('invalid_input', 'Invalid cursor.');
  const page = owned.slice(start, start + query.limit).map((entry) => entry.item);
  return { items: page, is_paginated: true, pagination: { next_cursor: owned[start + query.limit]?.cursor ?? null } };
}

/** `POST /api/v1/payments/products/{customer_type}/{customer_id}` with `{ product_id, quantity }`: a grant, no payment. */
export async function grantProduct({ db, now }: RestDeps, params: z.output<typeof customerParams>, body: z.output<typeof grantProductBody>) {
  requireProduct(params, body.product_id);
  const customer = await requireCustomer(db, params);
  try {
    await grantCatalogProduct(db, customer, body.product_id, body.quantity, now(customer));
  } catch (error) {
    if (error instanceof AppError && error.code === 'already_owned') {
      throw new AppError('product_already_granted', `Customer with ID "${params.customer_id}" already owns product "${body.product_id}".`, {
        product_id: body.product_id,
        customer_id: params.customer_id,
      });
    }
    throw error;
  }
  await dispatchPurchaseChanges(db, Date.now());
  return { success: true as const };
}

/**
 * `DELETE /api/v1/payments/products/{customer_type}/{customer_id}/{product_id}`: ends a granted
 * subscription product now. As at Stack, a product the customer does not hold and a one-time
 * product (a pack, a bonus, a free default) cannot be cancelled (400); unlike Stack, a subscription
 * billed through Stripe is not cancelled here (the billing page or Stripe does it).
 */
export async function cancelProduct({ db, now }: RestDeps, params: z.output<typeof productParams>) {
  const product = requireProduct(params, params.product_id);
  const customer = await requireCustomer(db, params);
  const at = now(customer);
  const ids = { customer_id: params.customer_id, product_id: params.product_id };
  const owned = (await listProducts(db, customer, at)).find((listing) => listing.id === params.product_id)?.owned ?? [];
  if (owned.length === 0) throw new AppError('product_not_owned', 'Customer does not have this product.', ids);
  if (product.price === 'include-by-default' || !product.price.interval) {
    throw new AppError('product_not_cancelable', 'This product is a one time purchase and cannot be canceled.', ids);
  }
  if (owned.some((purchase) => purchase.source === 'stripe')) {
    throw new AppError(
      'product_billed_through_stripe',
      `${product.displayName} is billed through Stripe: cancel it from the billing page or at Stripe, which stops the charges too.`,
      ids,
    );
  }
  await endGrantedProduct(db, customer, params.product_id, at);
  await dispatchPurchaseChanges(db, Date.now());
  return { success: true as const };
}
