import { actAs, createTeam, expect, pay, test } from './fixtures';

test('a team API key calls the metered API: 402 with no quota, 200 after buying the Team plan, 401 once revoked', async ({ page, request, account }) => {
  const teamName = `Api ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  await page.getByRole('link', { name: 'API keys and usage' }).click();
  await expect(page.getByRole('heading', { name: 'API', exact: true })).toBeVisible();
  await expect(page.getByTestId('api-calls-left')).toHaveText('0 API calls left');
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Name the key, e.g. "Production backend".');
  await page.getByLabel("New key's name").fill('CI');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByTestId('new-api-key').textContent())!;
  expect(secret).toMatch(/^tally_sk_/);
  await expect(page.getByTestId('api-key-row').filter({ hasText: 'CI' })).toContainText(`${secret.slice(0, 15)}…`);
  await expect(page.getByTestId('curl-example')).toContainText('/api/v1/summarize');

  const summarize = (key: string, idempotencyKey?: string) =>
    request.post('/api/v1/summarize', {
      headers: { Authorization: `Bearer ${key}`, ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) },
      data: { text: 'Items are bought. Items are spent.' },
    });

  const refused = await summarize(secret);
  expect(refused.status()).toBe(402);
  expect((await refused.json()).code).toBe('QUOTA_EXCEEDED');
  expect(refused.headers()['x-quota-remaining']).toBe('0');

  await actAs(page, teamName);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe: Team' }).click();
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByTestId('return-quantity-api_calls')).toHaveText('10,000');

  const answered = await summarize(secret, `e2e-${account.email}`);
  expect(answered.status()).toBe(200);
  expect((await answered.json()).data.summary).toBe('Items are bought. Items are spent.');
  expect(answered.headers()['x-quota-remaining']).toBe('9999');
  const replayed = await summarize(secret, `e2e-${account.email}`);
  expect(replayed.headers()['idempotent-replayed']).toBe('true');
  expect(replayed.headers()['x-quota-remaining']).toBe('9999');

  await page.goto('/activity');
  await expect(page.getByTestId('activity-row').first()).toContainText('API key “CI”');
  await page.goto('/dashboard');
  await expect(page.getByTestId('api-usage')).toHaveText('1 call this month through the API. API keys and usage');

  page.on('dialog', (dialog) => dialog.accept());
  await page.goto('/teams');
  await page.getByRole('link', { name: teamName }).click();
  await page.getByRole('link', { name: 'API keys and usage' }).click();
  await expect(page.getByRole('heading', { name: /Calls this month \(1\)/ })).toBeVisible();
  await page.getByRole('button', { name: 'Revoke CI' }).click();
  await expect(page.getByTestId('api-key-row').filter({ hasText: 'CI' })).toContainText('revoked');
  expect((await summarize(secret)).status()).toBe(401);
});

test("the server REST API speaks Stack Auth's payments API: items, known errors, custom customers, OpenAPI", async ({ page, request, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const teamName = `Rest ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByRole('heading', { name: teamName })).toBeVisible();
  const teamId = new URL(page.url()).pathname.split('/').at(-1)!;
  const server = { Authorization: 'Bearer tally_server_demo_key_local_only_0000000000' };
  const item = `/api/v1/payments/items/team/${teamId}/api_calls`;

  expect(await (await request.get(`/api/v1/payments/items/team/${teamId}/seats`, { headers: server })).json()).toEqual({
    id: 'seats',
    display_name: 'Seats',
    quantity: 3,
  });
  const granted = await request.post(`${item}/update-quantity?allow_negative=false`, { headers: server, data: { delta: 5, description: 'e2e grant' } });
  expect([granted.status(), await granted.json()]).toEqual([200, {}]);
  const refused = await request.post(`${item}/update-quantity?allow_negative=false`, { headers: server, data: { delta: -6 } });
  expect(refused.status()).toBe(400);
  expect(refused.headers()['x-tally-known-error']).toBe('ITEM_QUANTITY_INSUFFICIENT_AMOUNT');
  expect((await refused.json()).details).toEqual({ customer_id: teamId, item_id: 'api_calls', quantity: -6 });
  expect((await (await request.get(item, { headers: server })).json()).quantity).toBe(5);
  await page.goto(`/teams/${teamId}/api`);
  await expect(page.getByTestId('api-calls-left')).toHaveText('5 API calls left');

  const wrongType = await request.get(`/api/v1/payments/items/user/${teamId}/api_calls`, { headers: server });
  expect([wrongType.status(), (await wrongType.json()).code]).toEqual([400, 'ITEM_CUSTOMER_TYPE_DOES_NOT_MATCH']);
  const workspace = await request.get(`/api/v1/payments/items/custom/ws-${Date.now()}/build_minutes`, { headers: server });
  expect((await workspace.json()).quantity).toBe(1000);
  const noKey = await request.get(item, { headers: { Authorization: 'Bearer wrong' } });
  expect([noKey.status(), noKey.headers()['x-tally-known-error']]).toEqual([401, 'INVALID_SECRET_SERVER_KEY']);
  const badBody = await request.post(`${item}/update-quantity?allow_negative=maybe`, { headers: server, data: { delta: 1 } });
  expect([badBody.status(), (await badBody.json()).code]).toEqual([400, 'SCHEMA_ERROR']);

  // The HTTP edges: any case of the scheme, JSON bodies only, JSON 404s, no 500 on a broken escape.
  const lowercase = await request.get(item, { headers: { Authorization: server.Authorization.replace('Bearer', 'bearer') } });
  expect(lowercase.status()).toBe(200);
  const plainText = await request.post(`${item}/update-quantity?allow_negative=false`, {
    headers: { ...server, 'Content-Type': 'text/plain' },
    data: '{"delta":1}',
  });
  expect([plainText.status(), (await plainText.json()).code]).toEqual([400, 'BODY_PARSING_ERROR']);
  expect((await (await request.get(item, { headers: server })).json()).quantity).toBe(5);
  const unknown = await request.get('/api/v1/nope', { headers: server });
  expect([unknown.status(), unknown.headers()['x-tally-known-error']]).toEqual([404, 'NOT_FOUND']);
  const malformed = await request.get('/api/v1/payments/items/custom/a%ZZb/build_minutes', { headers: server });
  expect([malformed.status(), (await malformed.json()).code]).toEqual([400, 'MALFORMED_PATH']);
  expect((await request.get('/invitations/a%ZZb')).status()).toBe(400);
  const products = `/api/v1/payments/products/team/${teamId}`;
  expect((await request.post(products, { headers: server, data: { product_id: 'team_plan' } })).status()).toBe(200);
  const again = await request.post(products, { headers: server, data: { product_id: 'team_plan' } });
  expect([again.status(), await again.json()]).toMatchObject([
    400,
    { code: 'PRODUCT_ALREADY_GRANTED', details: { customer_id: teamId, product_id: 'team_plan' } },
  ]);
  const listed = await (await request.get(products, { headers: server })).json();
  expect(listed.items[0]).toMatchObject({ id: 'team_plan', product: { included_items: { seats: expect.anything() } } });

  const openapi = await (await request.get('/api/v1/openapi.json')).json();
  expect(openapi.openapi).toBe('3.1.0');
  expect(Object.keys(openapi.paths)).toContain('/api/v1/payments/items/{customer_type}/{customer_id}/{item_id}/update-quantity');
});
