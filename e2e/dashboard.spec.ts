import { expect, formAlert, test } from './fixtures';

test('a new user has the free plan’s 50 credits and spends them until there are not enough', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await expect(page.getByTestId('quantity-credits')).toHaveText('50');
  await expect(page.getByTestId('active-plan')).toContainText('Plan: Free');
  // The intro speaks to this customer: its free plan's refill, and a link to make a first team.
  const intro = page.getByTestId('intro');
  await expect(intro).toContainText('The Free plan refills 50 credits every month.');
  await expect(intro.getByRole('link', { name: 'create a team' })).toHaveAttribute('href', '/teams');
  await expect(intro).not.toContainText('Acting as');
  const credits = page.getByTestId('item-credits');
  for (const left of [40, 30, 20, 10, 0]) {
    await credits.getByRole('button', { name: 'Use credits' }).click();
    await expect(page.getByTestId('quantity-credits')).toHaveText(String(left));
    // At the catalog's threshold for credits (10) or less, the card warns and links to more.
    await expect(page.getByTestId('low-balance-credits')).toHaveCount(left <= 10 ? 1 : 0);
  }
  await expect(page.getByTestId('low-balance-credits').getByRole('link', { name: 'Get more' })).toHaveAttribute('href', '/pricing');
  // Crossing the threshold was a notice: on the dashboard, and mailed once.
  await page.reload();
  const notice = page.getByTestId('notice-low_balance');
  await expect(notice).toContainText('Credits are running low: 10 left. Get more');
  await expect(notice.locator('time')).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}:$/); // when it happened
  const mailbox = await page.context().newPage();
  await expect(async () => {
    await mailbox.goto(`/emulator/mailbox?to=${encodeURIComponent(account.email)}`);
    await expect(mailbox.getByTestId('mail').filter({ hasText: 'Running low on Tally' })).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await mailbox.close();
  await credits.getByRole('button', { name: 'Use credits' }).click();
  await expect(formAlert(page)).toContainText('Not enough credits: 10 needed, 0 left.');
  await expect(page.getByTestId('quantity-credits')).toHaveText('0');

  await credits.getByLabel('Amount').fill('0');
  await credits.getByRole('button', { name: 'Use credits' }).click();
  await expect(formAlert(page)).toHaveText('Enter a number above 0.');
  await page.screenshot({ path: 'e2e/screenshots/dashboard.png', fullPage: true });
});

test('a first visit explains the demo; once dismissed, the explanation stays away', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await expect(page.getByTestId('intro')).toContainText('How Tally works');
  await expect(page.getByTestId('sources-credits')).toHaveText(/^Free 50 until [A-Z][a-z]{2} \d+, \d{4}$/); // the plan's credits reset at the refill
  await expect(page.getByTestId('next-refill-credits')).toContainText('Next refill: +50 on');
  await page.getByTestId('intro').getByRole('button', { name: 'Got it' }).click();
  await expect(page.getByTestId('intro')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('intro')).toHaveCount(0);
});
