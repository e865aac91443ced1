import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// Notices are mailed after the response (next/server's after), which needs a request scope.
vi.mock('@/app/_server/notices', () => ({ mailNoticesAfterResponse: () => undefined }));

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
const key = 'tally_server_test_key_0123456789abcdefghij';
const origin = 'http://localhost:3000';
let item: { GET: Handler };
let update: { POST: Handler };
let unknown: Record<'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS', Handler>;

beforeAll(async () => {
  vi.stubEnv('DATABASE_URL', path.join(mkdtempSync(path.join(tmpdir(), 'tally-rest-')), 'app.db'));
  vi.stubEnv('TALLY_SERVER_SECRET_KEY', key);
  const { getDb, migrateDatabase } = await import('@/db');
  migrateDatabase(getDb().orm);
  item = await import('./payments/items/[customer_type]/[customer_id]/[item_id]/route');
  update = await import('./payments/items/[customer_type]/[customer_id]/[item_id]/update-quantity/route');
  unknown = await import('./[[...path]]/route');
});

const params = { customer_type: 'custom', customer_id: 'workspace-rest', item_id: 'build_minutes' };
const itemUrl = `${origin}/api/v1/payments/items/custom/workspace-rest/build_minutes`;
const context = (values: Record<string, string> = params) => ({ params: Promise.resolve(values) });

async function quantity(authorization = `Bearer ${key}`) {
  const response = await item.GET(new Request(itemUrl, { headers: { authorization } }), context());
  return [response.status, ((await response.json()) as { quantity?: number; code?: string }).quantity ?? null];
}

function postUpdate(body: BodyInit, headers: Record<string, string>) {
  return update.POST(
    new Request(`${itemUrl}/update-quantity?allow_negative=false`, { method: 'POST', body, headers: { authorization: `Bearer ${key}`, ...headers } }),
    context(),
  );
}

describe('the server REST API over HTTP', () => {
  it('accepts the Bearer scheme in any case, and refuses another key or scheme', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) expect(await quantity(`${scheme} ${key}`)).toEqual([200, 1000]);
    for (const authorization of [`Bearer ${key}x`, `Basic ${key}`, key]) {
      const response = await item.GET(new Request(itemUrl, { headers: { authorization } }), context());
      expect([response.status, response.headers.get('x-tally-known-error')]).toEqual([401, 'INVALID_SECRET_SERVER_KEY']);
    }
  });

  it('reads a body only when it is declared application/json: text/plain or no Content-Type is 400 BODY_PARSING_ERROR, nothing changed', async () => {
    const json = JSON.stringify({ delta: 5 });
    for (const [body, headers] of [
      [json, { 'content-type': 'text/plain' }],
      [new TextEncoder().encode(json), {}], // bytes: fetch adds no Content-Type
      [json, { 'content-type': 'application/x-www-form-urlencoded' }],
      ['{"delta":', { 'content-type': 'application/json' }],
    ] as const) {
      const refused = await postUpdate(body, headers);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'BODY_PARSING_ERROR' });
    }
    expect(await quantity()).toEqual([200, 1000]);
    for (const type of ['application/json', 'application/json; charset=utf-8']) {
      const answered = await postUpdate(json, { 'content-type': type });
      expect([answered.status, await answered.json()]).toEqual([200, {}]);
    }
    expect(await quantity()).toEqual([200, 1010]);
  });

  it('answers an unknown /api/v1 path with a JSON 404 in the known-error format, whatever the method', async () => {
    for (const [method, handler] of Object.entries(unknown)) {
      const response = await handler(new Request(`${origin}/api/v1/payments/nope`, { method }), { params: Promise.resolve({ path: 'payments/nope' }) });
      expect([method, response.status, response.headers.get('content-type'), response.headers.get('x-tally-known-error')]).toEqual([
        method,
        404,
        'application/json',
        'NOT_FOUND',
      ]);
      if (method !== 'HEAD') {
        expect(await response.json()).toEqual({
          code: 'NOT_FOUND',
          error: `There is no endpoint ${method} /api/v1/payments/nope. The API's endpoints are listed at /api/v1/openapi.json.`,
          details: { method, path: '/api/v1/payments/nope' },
        });
      }
    }
  });
});
