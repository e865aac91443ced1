import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { actAs, createTeam, expect, formAlert, newAccount, pay, signIn, signOut, signUp, test } from './fixtures';
import { startServer } from './server';

/** Ports for the servers a journey starts (an app and its emulator beside it): apart for each parallel worker. */
const ports = (offset: number) => 3190 + test.info().parallelIndex * 10 + offset;

test('a hostile next= never leaves the app and never errors: sign-in and the checkout return page', async ({ page, account }) => {
  await signOut(page);
  for (const next of ['%2F%09%2Fevil.example', '%2F%0A%2Fevil.example', '%2F%5Cevil.example', 'javascript%3Aalert(1)']) {
    const response = await page.goto(`/sign-in?next=${next}`);
    expect(response?.status()).toBe(200);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL('/dashboard');
    await signOut(page);
  }

  await signIn(page, account.email, account.password);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  const returnUrl = new URL(page.url());
  returnUrl.searchParams.set('next', '/\t/evil.example');
  await page.goto(returnUrl.toString());
  await expect(page.getByRole('link', { name: 'Continue' })).toHaveAttribute('href', '/dashboard');
});

test('the auth library’s HTTP endpoints are not mounted: a team cannot be deleted or renamed around the app', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const teamName = `Kept ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByRole('heading', { name: teamName })).toBeVisible();
  const teamId = page.url().split('/').at(-1)!;

  const origin = { origin: new URL(page.url()).origin };
  const calls = [
    page.request.post('/api/auth/organization/delete', { data: { organizationId: teamId }, headers: origin }),
    page.request.post('/api/auth/organization/update', { data: { organizationId: teamId, data: { name: 'x'.repeat(10_000) } }, headers: origin }),
    page.request.post('/api/auth/update-user', { data: { name: 'x'.repeat(10_000) }, headers: origin }),
    page.request.post('/api/auth/sign-up/email', {
      data: { name: 'x'.repeat(10_000), email: `${Date.now()}@example.com`, password: 'long enough password' },
      headers: origin,
    }),
    page.request.get('/api/auth/get-session'),
  ];
  for (const response of await Promise.all(calls)) expect(response.status()).toBe(404);

  await page.goto('/teams');
  await expect(page.getByRole('link', { name: teamName })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
});

test('another team’s checkout return page is “not found” for a non-member', async ({ page, browser, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const teamName = `Private ${Date.now()}`;
  await createTeam(page, teamName);
  await actAs(page, teamName);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe: Team' }).click();
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();

  const stranger = await browser.newPage();
  await signUp(stranger, newAccount('outsider'));
  const response = await stranger.goto(page.url());
  expect(response?.status()).toBe(404);
  await expect(stranger.getByText('Payment complete')).toHaveCount(0);
  await stranger.close();
});

test('failed sign-ins are slowed down with a clear message; a guesser never delays the owner’s own browser', async ({ page, browser, account }) => {
  await signOut(page);
  const guesser = await browser.newPage(); // another browser: no cookie of this account
  await guesser.goto('/sign-in');
  await guesser.getByLabel('Email').fill(account.email);
  for (let i = 0; i < 5; i++) {
    await guesser.getByLabel('Password').fill(`wrong password ${i}`);
    await guesser.getByRole('button', { name: 'Sign in' }).click();
    await expect(formAlert(guesser)).toHaveText('Wrong email or password.');
  }
  await guesser.getByLabel('Password').fill(account.password); // even the right password waits
  await guesser.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(guesser)).toHaveText(/^Too many attempts\. Try again in 1 second\.$/);
  await guesser.close();

  // The owner's browser signed up here, so it is known to the account and signs in at once.
  await signIn(page, account.email, account.password);
  await signOut(page);

  // That browser is limited too when it guesses.
  await page.getByLabel('Email').fill(account.email);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Password').fill(`wrong password ${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(formAlert(page)).toHaveText('Wrong email or password.');
  }
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(page)).toHaveText(/^Too many attempts\. Try again in 1 second\.$/);
  await page.waitForTimeout(1_100); // the delay after five failures
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/dashboard');
});

test('every response carries the security headers; pages allow only their own nonce’d scripts', async ({ page }) => {
  const base = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";
  for (const path of ['/', '/sign-in', '/api/health']) {
    const response = await page.request.get(path);
    const headers = response.headers();
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['strict-transport-security']).toBeUndefined(); // plain http here
    if (path.startsWith('/api/')) {
      expect(headers['content-security-policy']).toBe(base);
      continue;
    }
    const nonce = /^frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; script-src 'self' 'nonce-([^']+)'$/.exec(
      headers['content-security-policy'] ?? '',
    )?.[1];
    expect(nonce).toBeTruthy();
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  }

  // Scripts the page did not bring are blocked: one in the markup (as a stored injection would be)
  // and one created at run time; the app's own scripts still run (client-side navigation below).
  await page.route('**/sign-in', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('</body>', '<script>window.__injected = "markup"</script></body>');
    await route.fulfill({ response, body });
  });
  await page.goto('/sign-in');
  const injected = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = (window.__injected ?? "") + "runtime"';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return (window as unknown as { __injected?: string }).__injected ?? 'blocked';
  });
  expect(injected).toBe('blocked');
  await expect(page.getByRole('note', { name: 'Demo mode' })).toContainText('local Stripe emulator');
  await page.getByRole('link', { name: 'Create an account' }).click(); // client-side navigation: hydrated
  await expect(page).toHaveURL('/sign-up');
});

test('start-up refuses an unsafe public configuration and exits; with Stripe keys the emulator is unreachable', async ({ page, account }) => {
  test.setTimeout(90_000);
  const secret = { BETTER_AUTH_SECRET: 'e2e-secret-that-is-long-enough-0000000' };
  const noSecret = await startServer(ports(0), { APP_URL: 'https://tally.example.com', STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' })
    .exited;
  expect(noSecret.code).not.toBe(0);
  expect(noSecret.output).toContain('BETTER_AUTH_SECRET: is required when APP_URL is not a local address');
  const publicEmulator = await startServer(ports(0), { APP_URL: 'https://tally.example.com', ...secret }).exited;
  expect(publicEmulator.code).not.toBe(0);
  expect(publicEmulator.output).toContain('STRIPE_SECRET_KEY: is required when APP_URL is not a local address');

  // A checkout session of the demo's emulator, then a server with Stripe keys on the same database.
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await expect(page).toHaveURL(/\/emulator\/checkout\//);
  const checkoutPath = new URL(page.url()).pathname;
  const live = startServer(ports(2), { APP_URL: `http://localhost:${ports(2)}`, STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' });
  try {
    await live.ready();
    expect((await fetch(`${live.url}${checkoutPath}`)).status).toBe(404);
    const emulatorApi = await fetch(`http://127.0.0.1:${ports(3)}/v1/customers`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(emulatorApi).toBe('refused');
  } finally {
    await live.stop();
  }
});

/** An address of this machine that is not loopback: a request to it comes from "the network". */
function networkAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  if (!address) throw new Error('this journey needs a non-loopback IPv4 address on the machine');
  return address;
}

test('demo powers answer only this machine: from the network the mailbox is gone, the demo logins and server key refused, unless TALLY_DEMO=1', async ({
  baseURL,
  browser,
}) => {
  test.setTimeout(90_000);
  // The suite's server is a plain `next start`: it listens on every interface, with no APP_URL of its own kind.
  const fromNetwork = `http://${networkAddress()}:${new URL(baseURL!).port}`;
  const demoKey = { Authorization: 'Bearer tally_server_demo_key_local_only_0000000000' };
  const item = '/api/v1/payments/items/custom/workspace-1/build_minutes';
  expect((await fetch(`${baseURL}/emulator/mailbox`)).status).toBe(200);
  expect((await fetch(`${fromNetwork}/emulator/mailbox`)).status).toBe(404);
  expect((await fetch(`${baseURL}${item}`, { headers: demoKey })).status).toBe(200);
  const refused = await fetch(`${fromNetwork}${item}`, { headers: demoKey });
  expect(refused.status).toBe(401);
  expect(await refused.json()).toMatchObject({ code: 'SERVER_API_DISABLED' });
  expect((await fetch(`${fromNetwork}/emulator/checkout/cs_anything`)).status).toBe(404);
  // The demo's accounts (published password) neither shown nor usable from the network.
  const visitor = await browser.newPage();
  await visitor.goto(`${fromNetwork}/`);
  await expect(visitor.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(visitor.getByTestId('demo-logins')).toHaveCount(0);
  await visitor.goto(`${fromNetwork}/sign-in`);
  await visitor.getByLabel('Email').fill('alice@example.com');
  await visitor.getByLabel('Password').fill('tally-demo-password');
  await visitor.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(visitor)).toHaveText('The demo accounts sign in only on the machine running the demo.');
  await visitor.close();

  // A demo on the network on purpose: TALLY_DEMO=1.
  const publicDemo = startServer(ports(4), { TALLY_DEMO: '1' });
  try {
    await publicDemo.ready();
    expect((await fetch(`http://${networkAddress()}:${ports(4)}/emulator/mailbox`)).status).toBe(200);
  } finally {
    await publicDemo.stop();
  }
  const plain = startServer(ports(6), {});
  try {
    await plain.ready();
    expect(await plain.output()).toContain('answer only requests from this machine');
  } finally {
    await plain.stop();
  }
});

/** A server action's id in the suite's build, by its exported name. */
function actionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName)?.[0];
  if (!id) throw new Error(`no server action ${exportedName} in the build`);
  return id;
}

/** Calls a server action as a browser at `localhost` would, over a connection to `address`. */
function callAction(address: string, port: string, id: string, args: unknown[]) {
  return new Promise<{ redirect: string | undefined; body: string }>((resolve, reject) => {
    const call = httpRequest(
      {
        host: address,
        port,
        path: '/sign-in',
        method: 'POST',
        headers: {
          Host: `localhost:${port}`,
          Origin: `http://localhost:${port}`,
          'Next-Action': id,
          Accept: 'text/x-component',
          'Content-Type': 'text/plain;charset=UTF-8',
        },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ redirect: response.headers['x-action-redirect'] as string | undefined, body }));
      },
    );
    call.on('error', reject);
    call.end(JSON.stringify(args));
  });
}

test('no demo power through Next.js calling itself: an action that redirects to the mailbox renders it for this machine only', async ({
  page,
  baseURL,
  account,
}) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const port = new URL(baseURL!).port;
  const signIn = actionId('signIn');
  const args = [{ email: account.email, password: account.password, next: `/emulator/mailbox?to=${encodeURIComponent(account.email)}` }];
  // Signing in redirects to the mailbox; Next.js renders the target by fetching itself at localhost.
  const local = await callAction('127.0.0.1', port, signIn, args);
  expect(local.redirect).toContain('/emulator/mailbox');
  const mailboxShown = 'newest first. Set '; // the mailbox page's own text
  expect(local.body).toContain(mailboxShown);
  const remote = await callAction(networkAddress(), port, signIn, args);
  expect(remote.redirect).toContain('/emulator/mailbox'); // the sign-in itself worked: only the page is refused
  expect(remote.body).not.toContain(mailboxShown);
});
