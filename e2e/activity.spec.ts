import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';

test('activity collapses repeated usage, filters by item and exports CSV', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const credits = page.getByTestId('item-credits');
  for (const left of [40, 30, 20]) {
    await credits.getByRole('button', { name: 'Use credits' }).click();
    await expect(page.getByTestId('quantity-credits')).toHaveText(String(left));
  }

  await page.goto('/activity');
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  const rows = page.getByTestId('activity-row');
  await expect(rows).toHaveCount(2); // three uses as one line, and the free plan's refill
  await expect(rows.first()).toContainText('Used −10 × 3');
  await expect(rows.first()).toContainText('−30');
  await rows.first().getByText('Used −10 × 3').click();
  await expect(rows.first().getByRole('listitem')).toHaveText([/−10, balance 20$/, /−10, balance 30$/, /−10, balance 40$/]);

  // One item at a time: a new account's credits only; no other item has any change yet.
  const filters = page.getByRole('navigation', { name: 'Filter by item' });
  await expect(filters.getByRole('link', { name: 'All items' })).toHaveAttribute('aria-current', 'page');
  await filters.getByRole('link', { name: 'Credits' }).click();
  await expect(page).toHaveURL(/\/activity\?item=credits$/);
  await expect(filters.getByRole('link', { name: 'Credits' })).toHaveAttribute('aria-current', 'page');
  await expect(rows).toHaveCount(2);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toBe('tally-activity-credits.csv');
  const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n');
  expect(lines[0]).toBe('time_utc,item,reason,product,description,by,change,balance');
  expect(lines.slice(1).map((line) => line.split(',').slice(1, 3).concat(line.split(',').slice(-2)))).toEqual([
    ['credits', 'consumption', '-10', '20'],
    ['credits', 'consumption', '-10', '30'],
    ['credits', 'consumption', '-10', '40'],
    ['credits', 'renewal', '50', '50'],
  ]);
  expect(lines[1]).toContain(`,${account.name},`);
});
