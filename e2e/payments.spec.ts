import type { Page } from '@playwright/test';
import { createTeam, DEMO_PASSWORD, expect, formAlert, newAccount, pay, signIn, signUp, test } from './fixtures';

async function advancePeriod(page: Page) {
  await page.goto('/billing');
  await page.getByRole('button', { name: 'Advance to next period' }).click();
  await expect(page.getByText('Advanced.')).toBeVisible();
}

test('buy the credit pack: checkout, return page, +500 credits; a declined card changes nothing', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await pay(page, '4000 0000 0000 0002');
  await expect(formAlert(page)).toHaveText('Your card was declined. Try another card.');
  await page.goto('/dashboard');
  await expect(page.getByTestId('quantity-credits')).toHaveText('50');

  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await expect(page.getByTestId('checkout-total')).toHaveText('$10');
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('550');
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByTestId('quantity-credits')).toHaveText('550');
  await page.goto('/billing');
  await expect(page.getByText('Credit pack × 1')).toBeVisible();
  await page.goto('/activity');
  await expect(page.getByTestId('activity-row').first()).toContainText('Purchase');
  await expect(page.getByTestId('activity-row').first()).toContainText('+500');
  await expect(page.getByTestId('activity-row').last()).toContainText('Refill'); // the Free plan's 50
});

test('a canceled checkout says so and changes nothing', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await page.getByRole('button', { name: '← Cancel and return' }).click();
  await expect(page.getByRole('heading', { name: 'Checkout canceled' })).toBeVisible();
  await page.goto('/dashboard');
  await expect(page.getByTestId('quantity-credits')).toHaveText('50');
});

test('subscribe to Pro, renew with the test clock, cancel at period end, back to Free', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe: Pro', exact: true }).click();
  await expect(page.getByTestId('checkout-total')).toContainText('$20');
  await pay(page, '4242424242424242');
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('1,000');

  await page.goto('/dashboard');
  await expect(page.getByTestId('active-plan')).toContainText('Plan: Pro');
  await expect(page.getByRole('meter', { name: "Credits left of the plan's allowance" })).toHaveAttribute('aria-valuemax', '1000');
  await page.getByTestId('item-credits').getByLabel('Amount').fill('300');
  await page.getByTestId('item-credits').getByRole('button', { name: 'Use credits' }).click();
  await expect(page.getByTestId('quantity-credits')).toHaveText('700');

  await advancePeriod(page);
  await page.goto('/dashboard');
  await expect(page.getByTestId('quantity-credits')).toHaveText('1,000'); // unspent 700 reset, 1000 new

  await page.goto('/billing');
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Renews on');
  await page.getByRole('button', { name: 'Cancel at period end' }).click();
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Ends on');
  await page.screenshot({ path: 'e2e/screenshots/billing.png', fullPage: true });

  await advancePeriod(page);
  await expect(page.getByTestId('no-subscriptions')).toContainText('Free plan');
  await page.goto('/dashboard');
  await expect(page.getByTestId('active-plan')).toContainText('Plan: Free');
  await expect(page.getByTestId('quantity-credits')).toHaveText('50');
});

test('a team owner buys the team plan and extra seats; a member sees the items but cannot buy', async ({ page, browser, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const teamName = `Billing ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  await page.getByLabel('Email of an existing Tally user').fill('bob@example.com');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByTestId('member-row').filter({ hasText: 'bob@example.com' })).toBeVisible();

  await page.getByLabel('Acting as').selectOption({ label: teamName });
  await expect(page.getByLabel('Acting as')).toHaveValue(/^team:/);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe: Extra seat' }).click();
  await expect(formAlert(page)).toContainText('is an add-on: get Team first');
  await page.getByRole('button', { name: 'Subscribe: Team' }).click();
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByTestId('return-quantity-seats')).toHaveText('5');
  await expect(page.getByTestId('return-quantity-api_calls')).toHaveText('10,000');

  await page.goto('/pricing');
  await page.getByTestId('product-extra_seats').getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Subscribe: Extra seat' }).click();
  await expect(page.getByTestId('checkout-total')).toContainText('$16');
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByTestId('return-quantity-seats')).toHaveText('7');
  await page.goto('/pricing');
  await page.screenshot({ path: 'e2e/screenshots/pricing-team.png', fullPage: true });

  const bob = await browser.newPage();
  await signIn(bob, 'bob@example.com', DEMO_PASSWORD);
  await bob.getByLabel('Acting as').selectOption({ label: teamName });
  await expect(bob.getByTestId('quantity-seats')).toHaveText('7');
  await bob.goto('/pricing');
  await expect(bob.getByText(`Only team owners and admins can buy for ${teamName}`)).toBeVisible();
  await expect(bob.getByRole('button', { name: /^Subscribe|^Buy/ })).toHaveCount(0);
  await bob.close();

  const stranger = await browser.newPage();
  await signUp(stranger, newAccount('outsider'));
  await stranger.goto('/pricing');
  await expect(stranger.getByText(teamName)).toHaveCount(0);
  await stranger.close();
});

test('switching from Pro to Pro yearly replaces the subscription', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe: Pro', exact: true }).click();
  await pay(page, '4242424242424242');
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('1,000');
  await page.goto('/pricing');
  await expect(page.getByTestId('product-pro_monthly')).toContainText('Current plan');
  await page.getByRole('button', { name: 'Switch plan: Pro yearly' }).click();
  await expect(page.getByTestId('checkout-total')).toContainText('$200');
  await pay(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await page.goto('/billing');
  await expect(page.getByTestId('subscription-pro_yearly')).toContainText('Renews on');
  await expect(page.getByTestId('subscription-pro_monthly')).toHaveCount(0);
});

test('the billing portal cancels at period end and resumes, and the app follows through webhooks', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/billing');
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await expect(formAlert(page)).toHaveText('There is no billing account yet: buy something first.');

  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe: Pro', exact: true }).click();
  await pay(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await page.goto('/billing');
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await expect(page.getByRole('heading', { name: 'Your subscriptions' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(page.getByText(/^Cancels on /)).toBeVisible();
  await page.getByRole('link', { name: '← Return to Tally' }).click();
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Ends on');

  await page.getByRole('button', { name: 'Manage billing' }).click();
  await page.getByRole('button', { name: 'Resume subscription' }).click();
  await expect(page.getByText(/^Renews on /)).toBeVisible();
  await page.getByRole('link', { name: '← Return to Tally' }).click();
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Renews on');
});
