import { randomUUID } from 'node:crypto';
import { test as base, expect, type Browser, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'tally-demo-password';

export type Account = { name: string; email: string; password: string };

export function newAccount(prefix = 'user'): Account {
  return { name: `${prefix} ${randomUUID().slice(0, 6)}`, email: `${prefix}-${randomUUID()}@example.com`, password: 'correct horse battery' };
}

export async function signUp(page: Page, account: Account) {
  await page.goto('/sign-up');
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel(/^Password/).fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

/** Creates a team from the teams page and waits for it in the list. */
export async function createTeam(page: Page, name: string) {
  await page.goto('/teams');
  await page.getByLabel('Team name').fill(name);
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('link', { name })).toBeVisible();
}

/** Invites `email` from the team page open in `page` and waits for the pending invitation. */
export async function invite(page: Page, email: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByTestId('invitation-row').filter({ hasText: email.toLowerCase() })).toBeVisible();
}

/**
 * The link matching `path` in the newest mail to `email`, read from the demo mailbox's text (the
 * mailbox never turns URLs into links: a mail's text may come from an attacker).
 */
export async function linkInMail(page: Page, email: string, path: RegExp): Promise<string> {
  await page.goto(`/emulator/mailbox?to=${encodeURIComponent(email)}`);
  const text = await page.getByTestId('mail').first().innerText();
  const link = new RegExp(`https?://\\S*${path.source}\\S*`).exec(text)?.[0];
  if (!link) throw new Error(`no link matching ${path} in the newest mail to ${email}:\n${text}`);
  return link;
}

/** The newest invitation mailed to `email`, followed from the demo mailbox and accepted by the signed-in `tab`. */
export async function joinFromMailbox(tab: Page, email: string) {
  await tab.goto(await linkInMail(tab, email, /\/invitations\//));
  await tab.getByRole('button', { name: /^Join / }).click();
  await expect(tab).toHaveURL(/\/teams\/[^/]+$/);
}

/** A fresh account, signed up in its own page (closed after): someone to add to a team. */
export async function signedUpAccount(browser: Browser, prefix = 'member'): Promise<Account> {
  const account = newAccount(prefix);
  const tab = await browser.newPage();
  await signUp(tab, account);
  await tab.close();
  return account;
}

/** Adds an existing account to the team open in `page`, as people join: invited, then signing in and accepting. */
export async function addMember(page: Page, browser: Browser, member: { email: string; password: string }) {
  await invite(page, member.email);
  const tab = await browser.newPage();
  await signIn(tab, member.email, member.password);
  await joinFromMailbox(tab, member.email);
  await tab.close();
  await page.reload();
  await expect(page.getByTestId('member-row').filter({ hasText: member.email })).toBeVisible();
}

/** Acts as `teamName` from the dashboard, and waits until the choice is saved (a cookie set by a server action). */
export async function actAs(page: Page, teamName: string) {
  await page.goto('/dashboard');
  await page.getByLabel('Acting as').selectOption({ label: teamName });
  await expect(page.getByTestId('selected-customer')).toHaveText(`${teamName} (team)`);
}

/** Pays on the emulator's checkout page with a test card. */
export async function pay(page: Page, card: string) {
  await expect(page).toHaveURL(/\/emulator\/checkout\//);
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: /^(Pay|Subscribe)$/ }).click();
}

/** Pays on the emulator's checkout page by bank debit (a test account number), which settles later. */
export async function payByBank(page: Page, accountNumber: string) {
  await expect(page).toHaveURL(/\/emulator\/checkout\//);
  await page.getByText('Pay by bank debit (US)').click();
  await page.getByLabel('Account number').fill(accountNumber);
  await page.getByRole('button', { name: 'Pay by bank debit', exact: true }).click();
}

/** An error shown in the page; Next's route announcer, outside <main>, is an alert too. */
export function formAlert(page: Page) {
  return page.getByRole('main').getByRole('alert');
}

/** A freshly signed-up user per test, so tests never depend on each other's state. */
export const test = base.extend<{ account: Account }>({
  account: async ({ page }, provide) => {
    const account = newAccount();
    await signUp(page, account);
    await provide(account);
  },
});

export { expect };
