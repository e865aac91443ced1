import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { summarizeInput } from '../api/summarize';
import {
  customerParams,
  emptyResponse,
  grantProductBody,
  itemParams,
  itemResponse,
  knownError,
  productParams,
  productsQuery,
  productsResponse,
  successResponse,
  updateQuantityBody,
  updateQuantityQuery,
} from './schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const summarizeHeaders = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().meta({ description: 'Retries with the same key and body within 24 h replay the first answer.' }),
});
const errorDescriptions: Record<number, string> = {
  413: 'PAYLOAD_TOO_LARGE: the body is over 100 KB.',
};
const errors = (...statuses: number[]): ZodOpenApiResponsesObject =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { description: errorDescriptions[status] ?? 'A known error; its code is also in x-tally-known-error.', ...json(knownError) },
    ]),
  );
const server = (operation: ZodOpenApiOperationObject): ZodOpenApiOperationObject => ({
  security: [{ serverSecretKey: [] }],
  tags: ['Payments (server)'],
  ...operation,
});

/** The OpenAPI 3.1 document of the REST API, generated from the zod schemas that validate it. */
export function openApiDocument(appUrl: string) {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tally API',
      version: '1',
      description: "The server API for the Customer methods, compatible with Stack Auth's payments API, and the metered sample API that team API keys call.",
    },
    servers: [{ url: appUrl }],
    components: {
      securitySchemes: {
        serverSecretKey: { type: 'http', scheme: 'bearer', description: 'TALLY_SERVER_SECRET_KEY' },
        teamApiKey: { type: 'http', scheme: 'bearer', description: "A team API key (tally_sk_…), from the team's API page." },
      },
    },
    paths: {
      '/api/v1/payments/items/{customer_type}/{customer_id}/{item_id}': {
        get: server({
          summary: "A customer's item and its quantity",
          requestParams: { path: itemParams },
          responses: { '200': { description: 'The item', ...json(itemResponse) }, ...errors(400, 401, 404) },
        }),
      },
      '/api/v1/payments/items/{customer_type}/{customer_id}/{item_id}/update-quantity': {
        post: server({
          summary: 'Grant (positive delta) or spend (negative delta) an item',
          requestParams: { path: itemParams, query: updateQuantityQuery },
          requestBody: json(updateQuantityBody),
          responses: { '200': { description: 'Changed', ...json(emptyResponse) }, ...errors(400, 401, 404, 413) },
        }),
      },
      '/api/v1/payments/products/{customer_type}/{customer_id}': {
        get: server({
          summary: "A customer's products",
          requestParams: { path: customerParams, query: productsQuery },
          responses: { '200': { description: 'Owned products, oldest first', ...json(productsResponse) }, ...errors(400, 401, 404) },
        }),
        post: server({
          summary: 'Grant a product without payment',
          requestParams: { path: customerParams },
          requestBody: json(grantProductBody),
          responses: {
            '200': { description: 'Granted', ...json(successResponse) },
            ...errors(401, 404, 413),
            '400': { description: 'A known error, e.g. PRODUCT_ALREADY_GRANTED (a product that is not stackable, held already).', ...json(knownError) },
          },
        }),
      },
      '/api/v1/payments/products/{customer_type}/{customer_id}/{product_id}': {
        delete: server({
          summary: 'End a granted subscription product now',
          requestParams: { path: productParams },
          responses: {
            '200': { description: 'Ended', ...json(successResponse) },
            ...errors(401, 404),
            '400': {
              description: 'A known error, e.g. PRODUCT_NOT_OWNED, PRODUCT_NOT_CANCELABLE (a one-time product), PRODUCT_BILLED_THROUGH_STRIPE.',
              ...json(knownError),
            },
          },
        }),
      },
      '/api/v1/summarize': {
        post: {
          summary: "The metered sample operation: spends one of the team's api_calls",
          tags: ['Metered API'],
          security: [{ teamApiKey: [] }],
          requestParams: { header: summarizeHeaders },
          requestBody: json(summarizeInput),
          responses: {
            '200': { description: 'The summary; X-Quota-Remaining says what is left' },
            '400': { description: 'SCHEMA_ERROR: the body or the Idempotency-Key is invalid', ...json(knownError) },
            '401': { description: 'UNAUTHORIZED: a missing, malformed or revoked key', ...json(knownError) },
            '402': { description: 'QUOTA_EXCEEDED, with details.upgradeUrl', ...json(knownError) },
            '409': { description: 'IDEMPOTENCY_KEY_IN_USE: a request with this Idempotency-Key is still running', ...json(knownError) },
            '413': { description: 'PAYLOAD_TOO_LARGE: the body is over 100 KB', ...json(knownError) },
            '422': { description: 'IDEMPOTENCY_KEY_REUSED: this Idempotency-Key was used with another request', ...json(knownError) },
          },
        },
      },
    },
  });
}
