import type { Page } from '@playwright/test';
import { actAs, addMember, createTeam, expect, formAlert, newAccount, pay, payByBank, signedUpAccount, signIn, signUp, test } from './fixtures';

/** Subscribes to Pro from the pricing page and pays with `card` (a new account gets the trial). */
async function subscribeToPro(page: Page, card: string) {
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe: Pro', exact: true }).click();
  await pay(page, card);
}

/** Reloads until `check` passes: for what the emulator does on its own a few seconds later. */
async function expectAfterReloads(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 20_000 });
}

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
  await expect(page.getByTestId('checkout-summary')).toContainText('Credit pack · charged $10');
  await expect(page.getByTestId('checkout-summary')).toContainText('Added: +500 Credits');
  await expect(page.getByTestId('checkout-summary').getByRole('link', { name: 'Receipt', exact: true })).toHaveAttribute('href', /^\/emulator\/receipts\/ch_/);
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('550');
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByTestId('quantity-credits')).toHaveText('550');
  // The card says where the 550 come from: the pack's, which never expire, and the plan's 50.
  await expect(page.getByTestId('allowance-credits')).toHaveText("more than your plan's 50: the rest is from packs or grants");
  await expect(page.getByTestId('sources-credits')).toHaveText(/^Credit pack 500 · Free 50 until /);
  await page.goto('/billing');
  await expect(page.getByText('Credit pack × 1')).toBeVisible();
  // One payment, with its receipt; the declined card made none.
  await expect(page.getByTestId('payment-row')).toHaveCount(1);
  await expect(page.getByTestId('payment-row')).toContainText('$10');
  await expect(page.getByTestId('payment-row')).toContainText('Paid');
  await expect(page.getByTestId('payment-method')).toContainText('Visa •••• 4242');
  await page.getByTestId('payment-row').getByRole('link', { name: 'Receipt' }).click();
  await expect(page.getByTestId('receipt-amount')).toHaveText('$10');
  await page.goto('/billing');
  await page.goto('/activity');
  await expect(page.getByTestId('activity-row').first()).toContainText('Purchase: Credit pack');
  await page.goto('/billing');
  await page.goto('/activity');
  await expect(page.getByTestId('activity-row').first()).toContainText('Purchase');
  await expect(page.getByTestId('activity-row').first()).toContainText('+500');
  await expect(page.getByTestId('activity-row').last()).toContainText('Refill'); // the Free plan's 50
  // onPurchaseChanged ran for the purchase after its webhook was answered: the demo hook's billing event.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('billing-event')).toContainText(['Bought Credit pack'], { timeout: 500 });
  }).toPass({ timeout: 10_000 });
});

test('a pack, then Pro: spending takes the plan’s credits, which the renewal resets, never the pack’s', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('550');
  await subscribeToPro(page, '4242 4242 4242 4242');
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('1,500');

  await page.goto('/dashboard');
  const credits = page.getByTestId('item-credits');
  await credits.getByLabel('Amount').fill('100');
  await credits.getByRole('button', { name: 'Use credits' }).click();
  await expect(page.getByTestId('quantity-credits')).toHaveText('1,400');
  // The whole card follows the spend, without a reload: where the 1,400 come from too.
  await expect(page.getByTestId('sources-credits')).toHaveText(/^Pro 900 until [^·]+ · Credit pack 500$/);

  // The renewal resets what is left of Pro's 1,000 and grants 1,000 more: the pack's 500 are all there.
  await advancePeriod(page);
  await page.goto('/dashboard');
  await expectAfterReloads(page, () => expect(page.getByTestId('quantity-credits')).toHaveText('1,500', { timeout: 500 }));
  await expect(page.getByTestId('sources-credits')).toHaveText(/^Pro 1,000 until [^·]+ · Credit pack 500$/);
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

test('Pro’s free trial: nothing charged, the allowance at once, converted at its end a few seconds after the period ends; cancel, back to Free', async ({
  page,
  account,
}) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/pricing');
  await expect(page.getByTestId('trial-offer-pro_monthly')).toContainText('7-day free trial');
  await page.getByRole('button', { name: 'Subscribe: Pro', exact: true }).click();
  await expect(page.getByTestId('checkout-total')).toContainText('$20');
  await expect(page.getByTestId('checkout-trial')).toHaveText('7 days free · due today $0');
  await pay(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Free trial started' })).toBeVisible();
  await expect(page.getByTestId('trial-notice')).toContainText('Nothing was charged today');
  await expect(page.getByTestId('checkout-summary')).toContainText('Pro · charged $0');
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('1,000');

  await page.goto('/billing');
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('trialing');
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Trial ends on');
  await page.goto('/dashboard');
  await expect(page.getByTestId('active-plan')).toContainText('Plan: Pro (free trial)');
  await expect(page.getByRole('meter', { name: "Credits left of the plan's allowance" })).toHaveAttribute('aria-valuemax', '1000');
  await page.getByTestId('item-credits').getByLabel('Amount').fill('300');
  await page.getByTestId('item-credits').getByRole('button', { name: 'Use credits' }).click();
  await expect(page.getByTestId('quantity-credits')).toHaveText('700');

  // The trial ends: its invoice is collected a few seconds later (Stripe: about an hour), and until
  // then what is left of the trial's allowance stays.
  await advancePeriod(page);
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Collecting the renewal payment');
  await page.goto('/dashboard');
  await expect(page.getByTestId('quantity-credits')).toHaveText('700');
  await expectAfterReloads(page, () => expect(page.getByTestId('quantity-credits')).toHaveText('1,000', { timeout: 500 })); // 700 reset, 1000 new

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

test('cancelling during the trial returns to Free with nothing charged; a second trial is not offered', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await subscribeToPro(page, '4242424242424242');
  await expect(page.getByTestId('trial-notice')).toContainText('Nothing was charged today');
  await page.goto('/billing');
  await page.getByRole('button', { name: 'Cancel at period end' }).click();
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Ends on');
  await advancePeriod(page);
  await expect(page.getByTestId('no-subscriptions')).toContainText('Free plan');
  await page.goto('/dashboard');
  await expect(page.getByTestId('quantity-credits')).toHaveText('50');

  await page.goto('/pricing');
  await expect(page.getByTestId('trial-offer-pro_monthly')).toHaveCount(0);
  await page.getByRole('button', { name: 'Subscribe: Pro', exact: true }).click();
  await expect(page.getByTestId('checkout-total')).toContainText('$20');
  await expect(page.getByTestId('checkout-trial')).toHaveCount(0);
  await pay(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
});

test('a team owner buys the team plan and extra seats; a member sees the items but cannot buy', async ({ page, browser, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const teamName = `Billing ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  const member = await signedUpAccount(browser, 'bob');
  await addMember(page, browser, member);

  await actAs(page, teamName);
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
  await signIn(bob, member.email, member.password);
  await bob.getByLabel('Acting as').selectOption({ label: teamName });
  await expect(bob.getByTestId('quantity-seats')).toHaveText('7');
  await bob.goto('/pricing');
  await expect(bob.getByText(`Only team owners and admins can buy for ${teamName}`)).toBeVisible();
  await bob.goto('/billing');
  await expect(bob.getByTestId('billing-contacts')).toContainText(`Ask ${account.name} (${account.email})`);
  await expect(bob.getByRole('button', { name: 'Manage billing' })).toHaveCount(0);
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
  await subscribeToPro(page, '4242424242424242');
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('1,000');
  await page.goto('/pricing');
  await expect(page.getByTestId('product-pro_monthly')).toContainText('Current plan');
  await expect(page.getByTestId('switch-note-pro_yearly')).toContainText('Stripe credits its unused time to your balance');
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

  await subscribeToPro(page, '4242424242424242');
  await expect(page.getByRole('heading', { name: 'Free trial started' })).toBeVisible();
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
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Trial ends on');
});

test('a card that fails when the trial converts: past due, retried, then the subscription ends and the plan is Free', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await subscribeToPro(page, '4000 0000 0000 0341'); // attaches; charges fail
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('1,000');

  await advancePeriod(page);
  await expectAfterReloads(page, () => expect(page.getByTestId('subscription-pro_monthly')).toContainText('The renewal payment failed', { timeout: 500 }));
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('past_due');
  await page.goto('/dashboard');
  await expect(page.getByTestId('quantity-credits')).toHaveText('1,000'); // the trial's credits stay while Stripe retries
  await expect(page.getByTestId('notice-payment_failed')).toContainText('The renewal payment for Pro failed');
  await page.goto(`/emulator/mailbox?to=${encodeURIComponent(account.email)}`);
  await expect(page.getByTestId('mail').filter({ hasText: 'A payment to Tally failed' })).toHaveCount(1);
  await page.goto('/billing');
  await expectAfterReloads(page, () => expect(page.getByTestId('no-subscriptions')).toContainText('Free plan', { timeout: 500 }));
  await page.goto('/dashboard');
  await expect(page.getByTestId('active-plan')).toContainText('Plan: Free');
  await expect(page.getByTestId('quantity-credits')).toHaveText('50');
});

test('each customer has its own test clock: advancing one renews only that customer', async ({ page, browser, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await subscribeToPro(page, '4242 4242 4242 4242');
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('1,000');

  const other = await browser.newPage();
  await signUp(other, newAccount('other'));
  await subscribeToPro(other, '4242 4242 4242 4242');
  await expect(other.getByTestId('return-quantity-credits')).toHaveText('1,000');
  await other.goto('/billing');
  const otherToday = await other.getByTestId('customer-today').textContent();
  const otherRenewal = await other.getByTestId('subscription-pro_monthly').textContent();

  await page.goto('/billing');
  const today = await page.getByTestId('customer-today').textContent();
  expect(today).toBe(otherToday);
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Trial ends on');
  await advancePeriod(page);
  await expect(page.getByTestId('customer-today')).not.toHaveText(today!);
  await expectAfterReloads(page, () => expect(page.getByTestId('subscription-pro_monthly')).toContainText('Renews on', { timeout: 500 }));

  await other.reload();
  await expect(other.getByTestId('customer-today')).toHaveText(otherToday!);
  await expect(other.getByTestId('subscription-pro_monthly')).toHaveText(otherRenewal!);
  await other.goto('/activity');
  await expect(other.getByTestId('activity-row').filter({ hasText: 'Refill' })).toHaveCount(1); // the Free plan's first 50 only
  await page.goto('/activity');
  await expect(page.getByTestId('activity-row').filter({ hasText: 'Refill' })).toHaveCount(2); // and Pro's second month
  await other.close();
});

test('a bank debit: processing on the return page, the credits once it settles; a failed debit says so and adds nothing', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await payByBank(page, '000123456789');
  await expect(page.getByRole('heading', { name: 'Processing your payment…' })).toBeVisible();
  await expect(page.getByText('Your bank debit is on its way')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible({ timeout: 20_000 }); // the page refreshes itself
  await expect(page.getByTestId('return-quantity-credits')).toHaveText('550');

  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await payByBank(page, '000111111116');
  await expect(page.getByRole('heading', { name: 'Your payment failed' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('nothing was charged and nothing was added')).toBeVisible();
  await page.goto('/dashboard');
  await expect(page.getByTestId('quantity-credits')).toHaveText('550');
});

test('refunding a subscription invoice from the portal takes back that month’s credits; the plan goes on', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await subscribeToPro(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Free trial started' })).toBeVisible();
  await advancePeriod(page);
  await expectAfterReloads(page, () => expect(page.getByTestId('subscription-pro_monthly')).toContainText('Renews on', { timeout: 500 }));
  await page.goto('/dashboard');
  await page.getByTestId('item-credits').getByLabel('Amount').fill('200');
  await page.getByTestId('item-credits').getByRole('button', { name: 'Use credits' }).click();
  await expect(page.getByTestId('quantity-credits')).toHaveText('800');

  await page.goto('/billing');
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await expect(page.getByTestId('portal-invoice')).toHaveCount(1); // the trial's $0 invoice is not listed
  await expect(page.getByTestId('portal-invoice')).toContainText('$20');
  await page.getByTestId('portal-invoice').getByRole('button', { name: 'Refund' }).click();
  await expect(page.getByTestId('portal-invoice')).toContainText('Refunded');
  await page.getByRole('link', { name: '← Return to Tally' }).click();
  await expect(page.getByTestId('subscription-pro_monthly')).toContainText('Renews on');
  await page.goto('/dashboard');
  await expect(page.getByTestId('quantity-credits')).toHaveText('-200'); // the 200 used of the refunded month are owed
  await page.goto('/activity');
  await expect(page.getByTestId('activity-row').first()).toContainText('Refund');
});

test('deleting a team, then the account, ends their subscriptions first and says so before', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await subscribeToPro(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Free trial started' })).toBeVisible();
  const teamName = `Short-lived ${Date.now()}`;
  await createTeam(page, teamName);
  await actAs(page, teamName);
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe: Team' }).click();
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByTestId('return-quantity-seats')).toHaveText('5');

  await page.goto('/teams');
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByRole('heading', { name: teamName })).toBeVisible();
  await expect(page.getByTestId('delete-team-consequences')).toContainText(`ends Team (team ${teamName}) now: Stripe charges nothing more`);
  // A borrowed session is not enough: the name, then the owner's password.
  await page.getByLabel(`Type ${teamName} to confirm`).fill('not the name');
  await page.getByLabel('Password, to confirm').fill('not my password');
  await page.getByRole('button', { name: 'Delete team' }).click();
  await expect(formAlert(page)).toHaveText(`Type ${teamName} to confirm.`);
  await page.getByLabel(`Type ${teamName} to confirm`).fill(teamName);
  await page.getByRole('button', { name: 'Delete team' }).click();
  await expect(formAlert(page)).toHaveText('Your current password is not right.');
  await page.getByLabel('Password, to confirm').fill(account.password);
  await page.getByRole('button', { name: 'Delete team' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText('The team was deleted and its subscriptions ended.');
  await expect(page.getByRole('link', { name: teamName })).toHaveCount(0);
  await expect(page.getByLabel('Acting as')).toHaveValue('user');

  await page.goto('/account');
  await expect(page.getByTestId('delete-consequences')).toContainText('ends Pro (personal) now');
  await page.getByLabel('Password, to confirm').fill(account.password);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByRole('status')).toHaveText('Your account was deleted. Thank you for trying Tally.');
});
