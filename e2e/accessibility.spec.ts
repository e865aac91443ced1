import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createTeam, expect, test } from './fixtures';

/** WCAG 2.1 A and AA violations that axe finds on the page, as readable lines. */
async function violations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the pages meet WCAG 2.1 AA as axe checks it, signed out and in', async ({ page, browser, account }) => {
  const context = await browser.newContext(); // axe needs a page of its own context
  const visitor = await context.newPage();
  for (const path of ['/', '/sign-in', '/sign-up', '/forgot-password', '/emulator/mailbox']) {
    await visitor.goto(path);
    expect(await violations(visitor), path).toEqual([]);
  }
  await context.close();

  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const teamName = `A11y ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByRole('heading', { name: teamName })).toBeVisible();
  const team = new URL(page.url()).pathname;
  for (const path of ['/dashboard', '/pricing', '/billing', '/activity', '/teams', team, `${team}/api`, '/account']) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }

  // The first Tab reaches a skip link that moves past the header to the page.
  await page.goto('/dashboard');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});
