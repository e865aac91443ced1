import 'zod-openapi';
import { z } from 'zod';

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

export const ownedProduct = z
  .object({
    id: z.string().meta({ description: 'The purchase (subscription, grant or pack).' }),
    quantity: z.number().int(),
    product: z.object({ id: z.string(), display_name: z.string(), customer_type: customerType, server_only: z.boolean(), stackable: z.boolean() }),
    status: z.string(),
  })
  .meta({ id: 'OwnedProduct' });

export const productsQuery = z.object({
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

export const productsResponse = z
  .object({ items: z.array(ownedProduct), is_paginated: z.literal(true), pagination: z.object({ next_cursor: z.string().nullable() }) })
  .meta({ id: 'OwnedProducts' });

export const knownError = z
  .object({ code: z.string().meta({ example: 'ITEM_NOT_FOUND' }), error: z.string(), details: z.record(z.string(), z.unknown()).optional() })
  .meta({ id: 'KnownError', description: 'The code is also in the x-tally-known-error header.' });
