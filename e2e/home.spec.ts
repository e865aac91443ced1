import { expect, newAccount, signUp, test } from './fixtures';

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
