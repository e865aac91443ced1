import 'zod-openapi';
import { z } from 'zod';
import { durationSchema } from '../payments/duration';

/**
 * The server REST API's requests and answers, in Stack Auth's shapes (snake_case, `{ code, error,
 * details }` errors). These zod schemas validate every request and generate `/api/v1/openapi.json`.
 */
export const customerType = z
  .enum(['user', 'team', 'custom'])
  .meta({ id: 'CustomerType', description: 'Who holds the item: a user, a team, or an id of your own (custom).' });
const customerId = z.string().min(1).max(100).meta({ description: "The user's or team's id, or any id of yours for a custom customer." });
const itemId = z.string().min(1).max(100).meta({ description: 'An item of the catalog (lib/payments/catalog.ts).', example: 'credits' });
const productId = z.string().min(1).max(100).meta({ description: 'A product of the catalog.', example: 'credit_pack' });

export const customerParams = z.object({ customer_type: customerType, customer_id: customerId });
export const itemParams = customerParams.extend({ item_id: itemId });
export const productParams = customerParams.extend({ product_id: productId });

export const itemResponse = z
  .object({ id: z.string(), display_name: z.string(), quantity: z.number().int().meta({ description: 'May be negative after an overdraw.' }) })
  .meta({ id: 'Item' });

export const updateQuantityQuery = z.object({
  allow_negative: z
    .enum(['true', 'false'])
    .meta({ description: 'false: a negative delta takes only what is there (ITEM_QUANTITY_INSUFFICIENT_AMOUNT otherwise, nothing changed).' }),
});

export const updateQuantityBody = z
  .object({
    delta: z
      .number()
      .int()
      .refine((n) => n !== 0 && Number.isSafeInteger(n), 'delta must be a non-zero whole number')
      .meta({ description: 'Positive: a grant. Negative: a spend.' }),
    expires_at: z.iso.datetime({ offset: true }).optional().meta({ description: 'For a positive delta: when the grant expires (ISO 8601).' }),
    description: z.string().max(500).optional(),
  })
  .refine((body) => body.expires_at === undefined || body.delta > 0, { message: 'expires_at is only for positive deltas', path: ['expires_at'] })
  .meta({ id: 'UpdateQuantity' });

export const emptyResponse = z.object({}).meta({ id: 'Empty' });
export const successResponse = z.object({ success: z.literal(true) }).meta({ id: 'Success' });

export const grantProductBody = z.object({ product_id: productId, quantity: z.number().int().min(1).max(1_000_000).default(1) }).meta({ id: 'GrantProduct' });

const includedItem = z.object({
  quantity: z.number().int(),
  repeat: z.union([z.literal('never'), durationSchema]).meta({ description: 'How often the quantity is granted again: never, or [count, unit].' }),
  expires: z.enum(['never', 'when-purchase-expires', 'when-repeated']),
});

const productPrice = z.record(z.string(), z.union([z.string(), durationSchema])).meta({
  description:
    'The amount in major units under its currency code, as Stack writes it, with the interval and free trial of a subscription: { "USD": "20.00", "interval": [1, "month"], "free_trial": [7, "day"] }.',
});

export const inlineProduct = z
  .object({
    display_name: z.string(),
    customer_type: customerType,
    product_line_id: z.string().nullable(),
    stackable: z.boolean(),
    server_only: z.boolean(),
    included_items: z.record(z.string(), includedItem),
    client_metadata: z.null(),
    client_read_only_metadata: z.null(),
    server_metadata: z.null(),
    prices: z
      .record(z.string(), productPrice)
      .meta({ description: 'The catalog has one price per product, under the id "default"; none for a free default product.' }),
  })
  .meta({ id: 'InlineProduct', description: "A catalog product in Stack Auth's inline-product shape." });

export const ownedProduct = z
  .object({
    id: z.string().meta({ description: "The product's id. A customer holding it twice (stacked packs) is listed twice." }),
    quantity: z.number().int(),
    product: inlineProduct,
    status: z.string().meta({ description: "Tally's addition: the purchase's status (active, trialing, past_due, …)." }),
  })
  .meta({ id: 'OwnedProduct' });

export const productsQuery = z.object({
  cursor: z.string().max(100).optional().meta({ description: 'A next_cursor of an earlier page (the id of the purchase that page ends before).' }),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

export const productsResponse = z
  .object({ items: z.array(ownedProduct), is_paginated: z.literal(true), pagination: z.object({ next_cursor: z.string().nullable() }) })
  .meta({ id: 'OwnedProducts' });

export const knownError = z
  .object({ code: z.string().meta({ example: 'ITEM_NOT_FOUND' }), error: z.string(), details: z.record(z.string(), z.unknown()).optional() })
  .meta({ id: 'KnownError', description: 'The code is also in the x-tally-known-error header.' });
