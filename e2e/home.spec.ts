import { expect, newAccount, signOut, signUp, test } from './fixtures';

test('the home page explains items, lists the plans from the catalog and the demo logins; signed in, it leads to the dashboard', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Credits, seats and quotas your customers buy.' })).toBeVisible();
  await expect(page.getByTestId('plan-pro_monthly')).toContainText('$20 / month');
  await expect(page.getByTestId('plan-team_plan')).toContainText('For teams');
  await expect(page.getByTestId('plan-welcome_bonus')).toHaveCount(0); // server-only
  await expect(page.getByTestId('demo-logins')).toContainText('alice@example.com');
  await expect(page.getByRole('link', { name: 'Create an account' })).toBeVisible();

  await signUp(page, newAccount('home'));
  await page.goto('/');
  await page.getByRole('link', { name: 'Go to dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('an unknown page is a 404 in the app’s style with a way home', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'This page does not exist' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to home' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('a visitor picks a plan on the home page, signs up, and goes straight into its checkout', async ({ page }) => {
  const visitor = newAccount('visitor');
  await page.goto('/');
  await page.getByTestId('choose-credit_pack').click();
  await expect(page).toHaveURL(/\/sign-up\?next=/);
  await page.getByLabel('Name').fill(visitor.name);
  await page.getByLabel('Email').fill(visitor.email);
  await page.getByLabel(/^Password/).fill(visitor.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/emulator\/checkout\//);
  await expect(page.getByRole('heading', { name: 'Credit pack' })).toBeVisible();

  // Reached from elsewhere (here: typed), the checkout waits for a click instead of opening itself.
  await page.goto('/checkout/start?product=credit_pack');
  await expect(page.getByRole('heading', { name: 'Checkout: Credit pack' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue to checkout' }).click();
  await expect(page).toHaveURL(/\/emulator\/checkout\//);

  // A team product needs a team first: pricing marks it and says where it is sold.
  await page.goto('/checkout/start?product=team_plan');
  await expect(page).toHaveURL(/\/pricing\?buy=team_plan$/);
  await expect(page.getByTestId('chosen-elsewhere')).toContainText('Team is for teams');
});

test('pricing is public: a visitor compares every plan, then signs in and lands in the chosen checkout', async ({ page }) => {
  const buyer = newAccount('public-pricing');
  await signUp(page, buyer);
  await signOut(page);

  await page.goto('/pricing');
  await expect(page.getByRole('heading', { name: 'Pricing', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'For you' }).getByTestId('product-pro_monthly')).toContainText('$20 / month');
  await expect(page.getByRole('region', { name: 'For teams' }).getByTestId('product-team_plan')).toBeVisible();
  await expect(page.getByTestId('product-welcome_bonus')).toHaveCount(0); // server-only

  await page.getByTestId('get-pro_monthly').click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByRole('link', { name: 'Sign in' }).last().click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(buyer.email);
  await page.getByLabel('Password').fill(buyer.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/emulator\/checkout\//);
  await expect(page.getByTestId('checkout-trial')).toBeVisible();
});

test('the social card is an image rendered by the app, linked with the app URL', async ({ page, request, baseURL }) => {
  await page.goto('/');
  const image = await page.locator('meta[property="og:image"]').getAttribute('content');
  expect(image).toMatch(new RegExp(`^${baseURL}/opengraph-image`));
  const card = await request.get(new URL(image!).pathname + new URL(image!).search);
  expect(card.status()).toBe(200);
  expect(card.headers()['content-type']).toBe('image/png');
  expect((await card.body()).byteLength).toBeGreaterThan(10_000);
});
