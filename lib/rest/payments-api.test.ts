import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb, insertUser } from '../../db/testing';
import { createTeam } from '../auth/teams';
import { AppError, databaseUnavailable } from '../errors';
import { listActivity } from '../payments/activity';
import { openApiDocument } from './openapi';
import { cancelProduct, getItem, grantProduct, listOwnedProducts, updateQuantity } from './payments-api';
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
    if (error instanceof AppError) return { status: error.status, ...error.toBody() };
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
    // As Stack answers them: USER_NOT_FOUND carries no details, TEAM_NOT_FOUND names the team.
    expect(await knownError(() => getItem(deps(), { ...user('credits'), customer_id: 'nobody' }))).toEqual({
      status: 404,
      code: 'USER_NOT_FOUND',
      details: undefined,
      error: 'User not found.',
    });
    expect(await knownError(() => getItem(deps(), { customer_type: 'team', customer_id: 'no-team', item_id: 'seats' }))).toEqual({
      status: 404,
      code: 'TEAM_NOT_FOUND',
      details: { team_id: 'no-team' },
      error: 'Team no-team not found.',
    });
    expect(await knownError(() => grantProduct(deps(), workspace, { product_id: 'gems', quantity: 1 }))).toMatchObject({
      status: 400,
      code: 'PRODUCT_DOES_NOT_EXIST',
      details: { product_id: 'gems', context: null },
    });
  });

  it('reports a database outage as 503 DATABASE_UNAVAILABLE in the known-error format', () => {
    expect(databaseUnavailable()).toMatchObject({ status: 503, apiCode: 'DATABASE_UNAVAILABLE', message: expect.stringContaining('not answering') });
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
    expect(items.map((p) => [p.id, p.quantity]).sort()).toEqual([
      ['build_minutes_pack', 2],
      ['workspace_free', 1],
    ]);
    expect(await knownError(() => grantProduct(deps(), workspace, { product_id: 'credit_pack', quantity: 1 }))).toMatchObject({
      code: 'PRODUCT_CUSTOMER_TYPE_DOES_NOT_MATCH',
      details: { product_id: 'credit_pack', product_customer_type: 'user', actual_customer_type: 'custom' },
    });
    expect(await knownError(() => getItem(deps(), { ...workspace, item_id: 'credits' }))).toMatchObject({ code: 'ITEM_CUSTOMER_TYPE_DOES_NOT_MATCH' });
  });

  it('lists products as Stack does: the product id, its included items and prices; one entry per purchase, the cursor a purchase', async () => {
    await getItem(deps(), { ...workspace, item_id: 'build_minutes' }); // the free default starts now
    now += 1000;
    await grantProduct(deps(), workspace, { product_id: 'build_minutes_pack', quantity: 1 });
    now += 1000;
    await grantProduct(deps(), workspace, { product_id: 'build_minutes_pack', quantity: 3 });
    const all = await listOwnedProducts(deps(), workspace, { limit: 10 });
    expect(all.items.map((p) => [p.id, p.quantity])).toEqual([
      ['workspace_free', 1],
      ['build_minutes_pack', 1],
      ['build_minutes_pack', 3],
    ]);
    expect(all.items[1]).toEqual({
      id: 'build_minutes_pack',
      quantity: 1,
      status: 'active',
      product: {
        display_name: '10,000 build minutes',
        customer_type: 'custom',
        product_line_id: null,
        stackable: true,
        server_only: true,
        included_items: { build_minutes: { quantity: 10_000, repeat: 'never', expires: 'never' } },
        client_metadata: null,
        client_read_only_metadata: null,
        server_metadata: null,
        prices: { default: { USD: '10.00' } },
      },
    });
    expect(all.items[0]!.product.prices).toEqual({}); // a free default product has no price
    const first = await listOwnedProducts(deps(), workspace, { limit: 2 });
    expect(first.items.map((p) => p.quantity)).toEqual([1, 1]);
    const rest = await listOwnedProducts(deps(), workspace, { limit: 2, cursor: first.pagination.next_cursor! });
    expect([rest.items.map((p) => [p.id, p.quantity]), rest.pagination.next_cursor]).toEqual([[['build_minutes_pack', 3]], null]);
    expect(first.pagination.next_cursor).not.toBe('build_minutes_pack'); // a purchase, not the product
    expect(await knownError(() => listOwnedProducts(deps(), workspace, { limit: 10, cursor: 'nope' }))).toMatchObject({ code: 'SCHEMA_ERROR' });

    const pro = (await listOwnedProducts(deps(), { customer_type: 'user', customer_id: userId }, { limit: 10 })).items[0]!;
    expect(pro.product.prices).toEqual({}); // the free plan
    await grantProduct(deps(), { customer_type: 'user', customer_id: userId }, { product_id: 'pro_monthly', quantity: 1 });
    const [plan] = (await listOwnedProducts(deps(), { customer_type: 'user', customer_id: userId }, { limit: 10 })).items;
    expect([plan!.id, plan!.product.product_line_id, plan!.product.prices]).toEqual([
      'pro_monthly',
      'user_plan',
      { default: { USD: '20.00', interval: [1, 'month'], free_trial: [7, 'day'] } },
    ]);
  });

  it('granting a product the customer holds already is 400 PRODUCT_ALREADY_GRANTED, as at Stack', async () => {
    const customer = { customer_type: 'user' as const, customer_id: userId };
    await grantProduct(deps(), customer, { product_id: 'welcome_bonus', quantity: 1 });
    expect(await knownError(() => grantProduct(deps(), customer, { product_id: 'welcome_bonus', quantity: 1 }))).toEqual({
      status: 400,
      code: 'PRODUCT_ALREADY_GRANTED',
      details: { product_id: 'welcome_bonus', customer_id: userId },
      error: `Customer with ID "${userId}" already owns product "welcome_bonus".`,
    });
  });

  it('cancels a granted subscription product; a product not held or a one-time product is 400, as at Stack', async () => {
    const owner = await insertUser(db);
    const team = { customer_type: 'team' as const, customer_id: (await createTeam(db, owner, 'Acme')).id };
    await grantProduct(deps(), team, { product_id: 'team_plan', quantity: 1 });
    expect((await listOwnedProducts(deps(), team, { limit: 10 })).items.map((p) => p.id)).toEqual(['team_plan']); // it replaced the free team product in its line
    expect(await cancelProduct(deps(), { ...team, product_id: 'team_plan' })).toEqual({ success: true });
    expect((await listOwnedProducts(deps(), team, { limit: 10 })).items.map((p) => p.id)).toEqual(['team_free']);
    expect(await knownError(() => cancelProduct(deps(), { ...team, product_id: 'team_plan' }))).toEqual({
      status: 400,
      code: 'PRODUCT_NOT_OWNED',
      details: { customer_id: team.customer_id, product_id: 'team_plan' },
      error: 'Customer does not have this product.',
    });
    expect(await knownError(() => cancelProduct(deps(), { ...team, product_id: 'team_free' }))).toMatchObject({ status: 400, code: 'PRODUCT_NOT_CANCELABLE' });
    await grantProduct(deps(), workspace, { product_id: 'build_minutes_pack', quantity: 1 });
    expect(await knownError(() => cancelProduct(deps(), { ...workspace, product_id: 'build_minutes_pack' }))).toEqual({
      status: 400,
      code: 'PRODUCT_NOT_CANCELABLE',
      details: { customer_id: 'workspace-42', product_id: 'build_minutes_pack' },
      error: 'This product is a one time purchase and cannot be canceled.',
    });
    expect((await getItem(deps(), { ...workspace, item_id: 'build_minutes' })).quantity).toBe(11_000); // the pack still counts
  });

  it('is described by an OpenAPI 3.1 document generated from the same zod schemas', () => {
    const document = openApiDocument('http://localhost:3000');
    expect(document.openapi).toBe('3.1.0');
    const update = document.paths!['/api/v1/payments/items/{customer_type}/{customer_id}/{item_id}/update-quantity']!.post!;
    expect(update.parameters?.map((p) => ('name' in p ? p.name : ''))).toEqual(['customer_type', 'customer_id', 'item_id', 'allow_negative']);
    expect(JSON.stringify(update.requestBody)).toContain('UpdateQuantity');
    expect(JSON.stringify(document.components?.schemas?.UpdateQuantity)).toContain('delta');
    expect(Object.keys(document.paths!)).toContain('/api/v1/summarize');
    // A body over 100 KB is refused with 413 wherever a body is read.
    expect(Object.keys(update.responses!)).toContain('413');
    expect(Object.keys(document.paths!['/api/v1/payments/products/{customer_type}/{customer_id}']!.post!.responses!)).toContain('413');
    expect(Object.keys(document.paths!['/api/v1/summarize']!.post!.responses!)).toContain('413');
  });
});
