import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContextOptions, Page, TestInfo } from '@playwright/test';
import { createTeam, expect, invite, linkInMail, newAccount, pay, signUp, test } from './fixtures';

const widths = [
  { name: 'desktop', viewport: { width: 1440, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

/** WCAG 2.1 A and AA violations that axe finds on the page, as readable lines. */
async function violations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** How far the page is wider than the window: 0 when nothing scrolls sideways. */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Checks one page at one width, and attaches its screenshot to the report when asked to. */
async function checkPage(page: Page, path: string, label: string, testInfo: TestInfo, screenshot?: string) {
  await page.goto(path);
  await expect(page.locator('h1').first()).toBeVisible();
  expect(await violations(page), `${path} at ${label}`).toEqual([]);
  expect(await sidewaysOverflow(page), `${path} scrolls sideways at ${label}`).toBeLessThanOrEqual(0);
  if (screenshot) await testInfo.attach(`${screenshot}-${label}`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

/** A page in a context of its own at `viewport`, signed in by `storageState` when given. */
async function pageAt(browser: Browser, viewport: { width: number; height: number }, storageState?: BrowserContextOptions['storageState']) {
  const context = await browser.newContext({ viewport, storageState });
  return context.newPage();
}

test('every page meets WCAG 2.1 AA as axe checks it and fits a phone, signed out and in; screenshots attached', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  // A customer with a purchase, so dashboard, billing, activity and the return page have content.
  await signUp(page, newAccount('a11y'));
  const teamName = `A11y ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByRole('heading', { name: teamName })).toBeVisible();
  const team = new URL(page.url()).pathname;
  const invitee = newAccount('invitee').email;
  await invite(page, invitee);
  const invitation = new URL(await linkInMail(page, invitee, /\/invitations\//)).pathname;
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await pay(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  const checkoutReturn = new URL(page.url());
  // The emulator's pages too: an open checkout, the receipt, the billing portal.
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy: Credit pack' }).click();
  await expect(page).toHaveURL(/\/emulator\/checkout\//);
  const openCheckout = new URL(page.url()).pathname;
  await page.goto('/billing');
  const receipt = (await page.getByRole('link', { name: 'Receipt' }).first().getAttribute('href'))!;
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await expect(page).toHaveURL(/\/emulator\/portal\//);
  const portal = new URL(page.url()).pathname;
  const signedIn = await page.context().storageState();

  for (const { name, viewport } of widths) {
    const visitor = await pageAt(browser, viewport);
    for (const path of [
      '/',
      '/pricing',
      '/sign-in',
      '/sign-up',
      '/forgot-password',
      '/reset-password?token=t',
      '/confirm-email?token=t',
      '/emulator/mailbox',
      invitation,
      '/no-such-page',
    ]) {
      await checkPage(visitor, path, name, testInfo, path === '/pricing' ? 'pricing-public' : undefined);
    }
    await visitor.context().close();

    const customer = await pageAt(browser, viewport, signedIn);
    const screenshots: Record<string, string> = {
      '/dashboard': 'dashboard',
      '/pricing': 'pricing',
      '/billing': 'billing',
      '/activity': 'activity',
      [`${checkoutReturn.pathname}${checkoutReturn.search}`]: 'checkout-return',
    };
    for (const path of [...Object.keys(screenshots), '/teams', team, `${team}/api`, '/account', openCheckout, receipt, portal]) {
      await checkPage(customer, path, name, testInfo, screenshots[path]);
    }
    await customer.context().close();
  }
});

test('the keyboard reaches the page first: a skip link, and focus on the new heading after a navigation', async ({ page, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/dashboard'); // a fresh load: focus starts at the top of the document
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
  await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeFocused();
});

test('on a phone the header is one row; its menu holds the pages, who you act as and sign-out, with 44 px targets', async ({ browser }) => {
  const phone = await pageAt(browser, widths[1].viewport);
  await signUp(phone, newAccount('phone'));
  const header = phone.locator('header').first();
  expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64);
  await expect(phone.getByRole('navigation', { name: 'Main' })).toBeHidden();

  await phone.getByRole('button', { name: 'Menu' }).click();
  const menu = phone.getByRole('dialog', { name: 'Menu' });
  await expect(menu.getByLabel('Acting as')).toBeVisible();
  await expect(menu.getByRole('button', { name: 'Sign out' })).toBeVisible();
  for (const link of await menu.getByRole('link').all()) expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await menu.getByRole('link', { name: 'Activity' }).click();
  await expect(menu).toBeHidden();
  await expect(phone.getByRole('heading', { name: 'Activity', level: 1 })).toBeFocused();
  await phone.context().close();
});

test('colour follows the system: dark pages keep WCAG AA contrast', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: widths[0].viewport });
  const dark = await context.newPage();
  await signUp(dark, newAccount('dark'));
  const background = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(2, 6, 23)');
  for (const path of ['/dashboard', '/pricing', '/billing', '/activity', '/account']) {
    await checkPage(dark, path, 'dark', testInfo, path === '/dashboard' ? 'dashboard' : undefined);
  }
  await context.close();
});
