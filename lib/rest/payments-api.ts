import type { z } from 'zod';
import type { Db } from '../../db';
import type { CustomerClock } from '../clock';
import { customerExists } from '../customers/server-customer';
import { AppError } from '../errors';
import { catalog } from '../payments/catalog';
import type { CustomerRef } from '../payments/customer-ref';
import { changeQuantity, getQuantity } from '../payments/items';
import { endGrantedProduct, grantProduct as grantCatalogProduct, listProducts } from '../payments/products';
import { dispatchPurchaseChanges } from '../payments/purchase-hooks';
import type {
  customerParams,
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

export class KnownError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** An AppError of the payments core in the API's shape: its code in upper case, its status, its message. */
export function toKnownError(error: unknown): KnownError | null {
  if (error instanceof KnownError) return error;
  if (error instanceof AppError) return new KnownError(error.status, error.code === 'invalid_input' ? 'SCHEMA_ERROR' : error.code.toUpperCase(), error.message);
  return null;
}

async function requireCustomer(db: Db, { customer_type, customer_id }: z.output<typeof customerParams>): Promise<CustomerRef> {
  const customer = { type: customer_type, id: customer_id };
  if (!(await customerExists(db, customer))) {
    throw customer_type === 'user'
      ? new KnownError(404, 'USER_NOT_FOUND', 'User not found.', { user_id: customer_id })
      : new KnownError(404, 'TEAM_NOT_FOUND', 'Team not found.', { team_id: customer_id });
  }
  return customer;
}

function requireItem({ customer_type, customer_id, item_id }: z.output<typeof itemParams>) {
  const item = Object.hasOwn(catalog.items, item_id) ? catalog.items[item_id]! : null;
  if (!item) throw new KnownError(404, 'ITEM_NOT_FOUND', `Item with ID "${item_id}" not found.`, { item_id });
  if (item.customerType !== customer_type) {
    throw new KnownError(
      400,
      'ITEM_CUSTOMER_TYPE_DOES_NOT_MATCH',
      `The ${customer_type} with ID "${customer_id}" is not a valid customer for the item with ID "${item_id}". The item is configured to only be available for ${item.customerType} customers, but the customer is a ${customer_type}.`,
      { item_id, customer_id, item_customer_type: item.customerType, actual_customer_type: customer_type },
    );
  }
  return item;
}

function requireProduct({ customer_type, customer_id }: z.output<typeof customerParams>, productId: string) {
  const product = Object.hasOwn(catalog.products, productId) ? catalog.products[productId]! : null;
  if (!product) throw new KnownError(400, 'PRODUCT_DOES_NOT_EXIST', `Product with ID "${productId}" does not exist.`, { product_id: productId });
  if (product.customerType !== customer_type) {
    throw new KnownError(
      400,
      'PRODUCT_CUSTOMER_TYPE_DOES_NOT_MATCH',
      `The ${customer_type} with ID "${customer_id}" is not a valid customer for the product with ID "${productId}". The product is configured to only be available for ${product.customerType} customers, but the customer is a ${customer_type}.`,
      { product_id: productId, customer_id, product_customer_type: product.customerType, actual_customer_type: customer_type },
    );
  }
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
  if (!(await changeQuantity(db, { customer, itemId: params.item_id }, change, now(customer)))) {
    throw new KnownError(
      400,
      'ITEM_QUANTITY_INSUFFICIENT_AMOUNT',
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
  const owned = (await listProducts(db, customer, now(customer)))
    .flatMap((listing) =>
      listing.owned.map((purchase) => ({
        startedAt: purchase.startedAt,
        item: {
          id: purchase.purchaseId,
          quantity: purchase.quantity,
          status: purchase.status,
          product: {
            id: listing.id,
            display_name: listing.displayName,
            customer_type: customer.type,
            server_only: catalog.products[listing.id]!.serverOnly,
            stackable: listing.stackable,
          },
        },
      })),
    )
    .sort((a, b) => a.startedAt - b.startedAt || a.item.id.localeCompare(b.item.id))
    .map(({ item }) => item);
  const start = query.cursor === undefined ? 0 : owned.findIndex((item) => item.id === query.cursor);
  if (start === -1) throw new KnownError(400, 'SCHEMA_ERROR', 'Invalid cursor.');
  const page = owned.slice(start, start + query.limit);
  return { items: page, is_paginated: true, pagination: { next_cursor: owned[start + query.limit]?.id ?? null } };
}

/** `POST /api/v1/payments/products/{customer_type}/{customer_id}` with `{ product_id, quantity }`: a grant, no payment. */
export async function grantProduct({ db, now }: RestDeps, params: z.output<typeof customerParams>, body: z.output<typeof grantProductBody>) {
  requireProduct(params, body.product_id);
  const customer = await requireCustomer(db, params);
  await grantCatalogProduct(db, customer, body.product_id, body.quantity, now(customer));
  await dispatchPurchaseChanges(db, Date.now());
  return { success: true as const };
}

/** `DELETE /api/v1/payments/products/{customer_type}/{customer_id}/{product_id}`: ends a granted product now. */
export async function cancelProduct({ db, now }: RestDeps, params: z.output<typeof productParams>) {
  requireProduct(params, params.product_id);
  const customer = await requireCustomer(db, params);
  await endGrantedProduct(db, customer, params.product_id, now(customer));
  await dispatchPurchaseChanges(db, Date.now());
  return { success: true as const };
}
