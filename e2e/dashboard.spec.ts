import { expect, formAlert, test } from './fixtures';

test('a new user has the free plan’s 50 credits and spends them until there are not enough', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await expect(page.getByTestId('quantity-credits')).toHaveText('50');
  await expect(page.getByTestId('active-plan')).toContainText('Plan: Free');
  const credits = page.getByTestId('item-credits');
  for (const left of [40, 30, 20, 10, 0]) {
    await credits.getByRole('button', { name: 'Use credits' }).click();
    await expect(page.getByTestId('quantity-credits')).toHaveText(String(left));
    // At a fifth of the plan's 50 or less, the card warns and links to more.
    await expect(page.getByTestId('low-balance-credits')).toHaveCount(left <= 10 ? 1 : 0);
  }
  await expect(page.getByTestId('low-balance-credits').getByRole('link', { name: 'Get more' })).toHaveAttribute('href', '/pricing');
  await credits.getByRole('button', { name: 'Use credits' }).click();
  await expect(formAlert(page)).toContainText('Not enough credits: 10 needed, 0 left.');
  await expect(page.getByTestId('quantity-credits')).toHaveText('0');

  await credits.getByLabel('Amount').fill('0');
  await credits.getByRole('button', { name: 'Use credits' }).click();
  await expect(formAlert(page)).toHaveText('Enter a number above 0.');
  await page.screenshot({ path: 'e2e/screenshots/dashboard.png', fullPage: true });
});
