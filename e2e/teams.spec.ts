import { addMember, createTeam, formAlert, expect, invite, linkInMail, newAccount, signedUpAccount, signIn, signUp, test } from './fixtures';

test('create a team, invite bob, bob joins and sees it but cannot change roles, a stranger gets not found', async ({ page, browser, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const bob = await signedUpAccount(browser, 'bob');
  await page.goto('/teams');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(formAlert(page)).toHaveText('Enter a team name.');

  const teamName = `Rocket ${Date.now()}`;
  await page.getByLabel('Team name').fill(teamName);
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByRole('heading', { name: teamName })).toBeVisible();
  const teamUrl = page.url();

  // Any email can be invited: whether someone has an account is not disclosed. Revoked, its seat is free.
  await invite(page, 'nobody-here@example.com');
  await expect(page.getByTestId('seats-summary')).toContainText('2 of 3 seats used (1 held by invitations)');
  await page.getByRole('button', { name: 'Revoke the invitation of nobody-here@example.com' }).click();
  await expect(page.getByTestId('invitation-row')).toHaveCount(0);
  await expect(page.getByTestId('seats-summary')).toContainText('1 of 3 seats used');

  await addMember(page, browser, bob);

  // The switcher lists the new team; acting as it shows on the dashboard.
  await page.goto('/dashboard');
  await page.getByLabel('Acting as').selectOption({ label: teamName });
  await expect(page.getByTestId('selected-customer')).toHaveText(`${teamName} (team)`);

  const bobPage = await browser.newPage();
  await signIn(bobPage, bob.email, bob.password);
  await bobPage.goto('/teams');
  await bobPage.getByRole('link', { name: teamName }).click();
  await expect(bobPage.getByText('Your role: member')).toBeVisible();
  await expect(bobPage.getByRole('combobox', { name: /Role of/ })).toHaveCount(0);
  await expect(bobPage.getByRole('heading', { name: 'Invite someone' })).toHaveCount(0);
  await bobPage.close();

  const stranger = await browser.newPage();
  await signUp(stranger, newAccount('stranger'));
  const response = await stranger.goto(teamUrl);
  expect(response?.status()).toBe(404);
  await expect(stranger.getByText(teamName)).toHaveCount(0);
  await stranger.close();

  expect(account.email).toContain('@example.com');
});

test('the last owner cannot leave; an owner manages roles and members', async ({ page, browser, account }) => {
  const teamName = `Solo ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();

  await expect(page.getByTestId('member-row').filter({ hasText: account.email })).toContainText('owner');
  await page.getByRole('button', { name: 'Leave team' }).click();
  await expect(formAlert(page)).toContainText('A team needs an owner');

  const bob = await signedUpAccount(browser, 'bob');
  await addMember(page, browser, bob);
  const role = page.getByRole('combobox', { name: `Role of ${bob.name}` });
  await role.selectOption('admin');
  await expect(role).toHaveValue('admin');
  await page.reload();
  await expect(page.getByRole('combobox', { name: `Role of ${bob.name}` })).toHaveValue('admin');

  await page.getByRole('button', { name: `Remove ${bob.name}` }).click();
  await expect(page.getByTestId('member-row').filter({ hasText: bob.email })).toHaveCount(0);
});

test('seats cap the team: 3 on the free team, every member takes one, the fourth is refused until seats are bought', async ({ page, browser, account }) => {
  const others = [await signedUpAccount(browser, 'seat'), await signedUpAccount(browser, 'seat'), await signedUpAccount(browser, 'seat')];
  const teamName = `Seats ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByTestId('seats-summary')).toHaveText('1 of 3 seats used · Buy seats');
  for (const member of [others[0]!, others[1]!]) await addMember(page, browser, member);
  await expect(page.getByTestId('seats-summary')).toContainText('3 of 3 seats used');
  await page.getByLabel('Email', { exact: true }).fill(others[2]!.email);
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(formAlert(page)).toHaveText('All 3 seats of this team are taken (3 members): buy a seat to add someone.');
  await expect(page.getByTestId('member-row')).toHaveCount(3);
  await expect(page.getByTestId('invitation-row')).toHaveCount(0);

  await page.goto('/dashboard');
  await page.getByLabel('Acting as').selectOption({ label: teamName });
  // The dashboard counts seats as the team page does, in the same words, and its meter is the seats taken.
  await expect(page.getByTestId('seats-used')).toContainText('3 of 3 seats used.');
  await expect(page.getByTestId('item-seats').getByRole('meter', { name: 'Seats used' })).toHaveAttribute('aria-valuenow', '3');
  await expect(page.getByTestId('item-seats').getByRole('button')).toHaveCount(0); // seats are not spent
  expect(account.email).toContain('@example.com');
});

test('invite a new email: the mail in the outbox leads to sign-up, which joins the team; the pending invitation held its seat', async ({
  page,
  browser,
  account,
}) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  const teamName = `Invite ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  const newcomer = newAccount('bob2');
  await invite(page, newcomer.email);
  await expect(page.getByTestId('seats-summary')).toContainText('2 of 3 seats used (1 held by invitations)');

  const tab = await browser.newPage();
  const invitation = await linkInMail(tab, newcomer.email, /\/invitations\//);
  // The team's name is quoted as a name, never the mail's subject: a name can be anything.
  await expect(tab.getByTestId('mail').first()).toContainText(`invited you to join its team named “${teamName}”`);
  await tab.goto(invitation);
  await expect(tab.getByRole('heading', { name: `Join ${teamName}` })).toBeVisible();
  await tab.getByRole('link', { name: 'Create an account' }).click();
  await expect(tab.getByLabel('Email')).toHaveValue(newcomer.email);
  await tab.getByLabel('Name').fill(newcomer.name);
  await tab.getByLabel(/^Password/).fill(newcomer.password);
  await tab.getByRole('button', { name: 'Create account' }).click();
  await tab.getByRole('button', { name: `Join ${teamName}` }).click();
  await expect(tab.getByRole('heading', { name: teamName })).toBeVisible();
  await expect(tab.getByText('Your role: member')).toBeVisible();

  // The link is used up.
  await tab.goto(invitation);
  await expect(tab.getByRole('heading', { name: 'This invitation is no longer valid' })).toBeVisible();
  await tab.close();

  await page.reload();
  await expect(page.getByTestId('member-row').filter({ hasText: newcomer.email })).toBeVisible();
  await expect(page.getByTestId('seats-summary')).toContainText('2 of 3 seats used');
  await expect(page.getByTestId('invitation-row')).toHaveCount(0);
});
