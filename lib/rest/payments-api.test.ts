import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb, insertUser } from '../../db/testing';
import { createTeam } from '../auth/teams';
import { databaseUnavailable } from '../errors';
import { listActivity } from '../payments/activity';
import { openApiDocument } from './openapi';
import { cancelProduct, getItem, grantProduct, KnownError, listOwnedProducts, toKnownError, updateQuantity } from './payments-api';
import { updateQuantityBody } from './schemas';

let db: Db;
let userId: string;
let now: number;
const deps = () => ({ db, now: () => now });
const user = (item_id: string) => ({ customer_type: 'user' as const, customer_id: userId, item_id });
const workspace = { customer_type: 'custom' as const, customer_id: 'workspace-42' };
const body = (delta: number, extra: { expires_at?: string; description?: string } = {}) => updateQuantityBody.parse({ delta, ...extra });
const strict = { allow_negative: 'false' as const };

/** The known error a call fails with, as the API answers it. */
async function knownError(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    const known = toKnownError(error);
    if (known) return { status: known.status, code: known.code, details: known.details, error: known.message };
    throw error;
  }
  throw new Error('expected a known error');
}

beforeEach(async () => {
  db = await createTestDb();
  userId = await insertUser(db);
  now = Date.UTC(2026, 10, 1);
});

describe("the server REST API (Stack Auth's payments API)", () => {
  it('reads an item as { id, display_name, quantity }', async () => {
    expect(await getItem(deps(), user('credits'))).toEqual({ id: 'credits', display_name: 'Credits', quantity: 50 }); // the free plan
  });

  it("answers Stack Auth's known errors with their details", async () => {
    expect(await knownError(() => getItem(deps(), user('gems')))).toMatchObject({ status: 404, code: 'ITEM_NOT_FOUND', details: { item_id: 'gems' } });
    expect(await knownError(() => getItem(deps(), user('seats')))).toMatchObject({
      status: 400,
      code: 'ITEM_CUSTOMER_TYPE_DOES_NOT_MATCH',
      details: { item_id: 'seats', customer_id: userId, item_customer_type: 'team', actual_customer_type: 'user' },
    });
    expect(await knownError(() => getItem(deps(), { ...user('credits'), customer_id: 'nobody' }))).toMatchObject({ status: 404, code: 'USER_NOT_FOUND' });
    expect(await knownError(() => getItem(deps(), { customer_type: 'team', customer_id: 'no-team', item_id: 'seats' }))).toMatchObject({
      code: 'TEAM_NOT_FOUND',
    });
  });

  it('reports a database outage as 503 DATABASE_UNAVAILABLE in the known-error format', () => {
    expect(toKnownError(databaseUnavailable())).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', message: expect.stringContaining('not answering') });
  });

  it('update-quantity with allow_negative=false takes only what is there: otherwise ITEM_QUANTITY_INSUFFICIENT_AMOUNT and nothing changes', async () => {
    expect(await updateQuantity(deps(), user('credits'), strict, body(-20))).toEqual({});
    expect(await knownError(() => updateQuantity(deps(), user('credits'), strict, body(-31)))).toEqual({
      status: 400,
      code: 'ITEM_QUANTITY_INSUFFICIENT_AMOUNT',
      details: { customer_id: userId, item_id: 'credits', quantity: -31 },
      error: `The item with ID "credits" has an insufficient quantity for the customer with ID "${userId}". An attempt was made to charge -31 credits.`,
    });
    expect((await getItem(deps(), user('credits'))).quantity).toBe(30);
    await updateQuantity(deps(), user('credits'), { allow_negative: 'true' }, body(-31, { description: 'overdraw on purpose' }));
    expect((await getItem(deps(), user('credits'))).quantity).toBe(-1);
    const [latest] = (await listActivity(db, { type: 'user', id: userId })).entries;
    expect(latest).toMatchObject({ delta: -31, description: 'overdraw on purpose', by: 'Tally' });
  });

  it('grants with a positive delta, expiring at expires_at when given', async () => {
    await updateQuantity(deps(), user('credits'), strict, body(100, { expires_at: new Date(now + 60_000).toISOString() }));
    expect((await getItem(deps(), user('credits'))).quantity).toBe(150);
    now += 60_000;
    expect((await getItem(deps(), user('credits'))).quantity).toBe(50);
    expect(() => body(5, { expires_at: 'tomorrow' })).toThrow();
    expect(() => body(-5, { expires_at: new Date(now).toISOString() })).toThrow(/only for positive deltas/);
    expect(() => body(0)).toThrow(/non-zero/);
  });

  it("custom customers: any id of the fork's, with the catalog's custom items and products", async () => {
    const minutes = { ...workspace, item_id: 'build_minutes' };
    expect(await getItem(deps(), minutes)).toEqual({ id: 'build_minutes', display_name: 'Build minutes', quantity: 1000 });
    expect(await grantProduct(deps(), workspace, { product_id: 'build_minutes_pack', quantity: 2 })).toEqual({ success: true });
    expect((await getItem(deps(), minutes)).quantity).toBe(21_000);
    const { items } = await listOwnedProducts(deps(), workspace, { limit: 10 });
    expect(items.map((p) => [p.product.id, p.quantity]).sort()).toEqual([
      ['build_minutes_pack', 2],
      ['workspace_free', 1],
    ]);
    expect(await knownError(() => grantProduct(deps(), workspace, { product_id: 'credit_pack', quantity: 1 }))).toMatchObject({
      code: 'PRODUCT_CUSTOMER_TYPE_DOES_NOT_MATCH',
      details: { product_id: 'credit_pack', product_customer_type: 'user', actual_customer_type: 'custom' },
    });
    expect(await knownError(() => getItem(deps(), { ...workspace, item_id: 'credits' }))).toMatchObject({ code: 'ITEM_CUSTOMER_TYPE_DOES_NOT_MATCH' });
  });

  it('lists products a page at a time and cancels a granted one', async () => {
    const owner = await insertUser(db);
    const team = { customer_type: 'team' as const, customer_id: (await createTeam(db, owner, 'Acme')).id };
    await grantProduct(deps(), team, { product_id: 'team_plan', quantity: 1 });
    const first = await listOwnedProducts(deps(), team, { limit: 1 });
    expect(first.items.map((p) => p.product.id)).toEqual(['team_plan']); // it replaced the free team product in its line
    expect(first.pagination.next_cursor).toBeNull();
    expect(await cancelProduct(deps(), { ...team, product_id: 'team_plan' })).toEqual({ success: true });
    expect((await listOwnedProducts(deps(), team, { limit: 10 })).items.map((p) => p.product.id)).toEqual(['team_free']);
    expect(await knownError(() => cancelProduct(deps(), { ...team, product_id: 'team_plan' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await knownError(() => listOwnedProducts(deps(), team, { limit: 10, cursor: 'nope' }))).toMatchObject({ code: 'SCHEMA_ERROR' });
  });

  it('is described by an OpenAPI 3.1 document generated from the same zod schemas', () => {
    const document = openApiDocument('http://localhost:3000');
    expect(document.openapi).toBe('3.1.0');
    const update = document.paths!['/api/v1/payments/items/{customer_type}/{customer_id}/{item_id}/update-quantity']!.post!;
    expect(update.parameters?.map((p) => ('name' in p ? p.name : ''))).toEqual(['customer_type', 'customer_id', 'item_id', 'allow_negative']);
    expect(JSON.stringify(update.requestBody)).toContain('UpdateQuantity');
    expect(JSON.stringify(document.components?.schemas?.UpdateQuantity)).toContain('delta');
    expect(Object.keys(document.paths!)).toContain('/api/v1/summarize');
    expect(new KnownError(400, 'X', 'y').status).toBe(400);
  });
});
