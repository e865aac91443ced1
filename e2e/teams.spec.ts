import { createTeam, formAlert, DEMO_PASSWORD, expect, newAccount, signIn, signUp, test } from './fixtures';

test('create a team, add bob, bob sees it but cannot change roles, a stranger gets not found', async ({ page, browser, account }) => {
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/teams');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(formAlert(page)).toHaveText('Enter a team name.');

  const teamName = `Rocket ${Date.now()}`;
  await page.getByLabel('Team name').fill(teamName);
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByRole('heading', { name: teamName })).toBeVisible();
  const teamUrl = page.url();

  await page.getByLabel('Email of an existing Tally user').fill('nobody-here@example.com');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(formAlert(page)).toContainText('No Tally account uses nobody-here@example.com');

  await page.getByLabel('Email of an existing Tally user').fill('bob@example.com');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByTestId('member-row').filter({ hasText: 'bob@example.com' })).toBeVisible();

  // The switcher lists the new team; acting as it shows on the dashboard.
  await page.goto('/dashboard');
  await page.getByLabel('Acting as').selectOption({ label: teamName });
  await expect(page.getByTestId('selected-customer')).toHaveText(`Team ${teamName}`);

  const bob = await browser.newPage();
  await signIn(bob, 'bob@example.com', DEMO_PASSWORD);
  await bob.goto('/teams');
  await bob.getByRole('link', { name: teamName }).click();
  await expect(bob.getByText('Your role: member')).toBeVisible();
  await expect(bob.getByRole('combobox', { name: /Role of/ })).toHaveCount(0);
  await expect(bob.getByRole('heading', { name: 'Add a member' })).toHaveCount(0);
  await bob.close();

  const stranger = await browser.newPage();
  await signUp(stranger, newAccount('stranger'));
  const response = await stranger.goto(teamUrl);
  expect(response?.status()).toBe(404);
  await expect(stranger.getByText(teamName)).toHaveCount(0);
  await stranger.close();

  expect(account.email).toContain('@example.com');
});

test('the last owner cannot leave; an owner manages roles and members', async ({ page, account }) => {
  const teamName = `Solo ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();

  await expect(page.getByTestId('member-row').filter({ hasText: account.email })).toContainText('owner');
  await page.getByRole('button', { name: 'Leave team' }).click();
  await expect(formAlert(page)).toContainText('A team needs an owner');

  await page.getByLabel('Email of an existing Tally user').fill('bob@example.com');
  await page.getByRole('button', { name: 'Add member' }).click();
  const role = page.getByRole('combobox', { name: 'Role of Bob Example' });
  await role.selectOption('admin');
  await expect(role).toHaveValue('admin');
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Role of Bob Example' })).toHaveValue('admin');

  await page.getByRole('button', { name: 'Remove Bob Example' }).click();
  await expect(page.getByTestId('member-row').filter({ hasText: 'bob@example.com' })).toHaveCount(0);
});

test('seats cap the team: 3 on the free team, every member takes one, the fourth is refused until seats are bought', async ({ page, browser, account }) => {
  const others = [newAccount('seat'), newAccount('seat')];
  for (const other of others) {
    const tab = await browser.newPage();
    await signUp(tab, other);
    await tab.close();
  }
  const teamName = `Seats ${Date.now()}`;
  await createTeam(page, teamName);
  await page.getByRole('link', { name: teamName }).click();
  await expect(page.getByTestId('seats-summary')).toHaveText('1 of 3 seats used · Buy seats');
  for (const email of ['bob@example.com', others[0]!.email]) {
    await page.getByLabel('Email of an existing Tally user').fill(email);
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByTestId('member-row').filter({ hasText: email })).toBeVisible();
  }
  await expect(page.getByTestId('seats-summary')).toContainText('3 of 3 seats used');
  await page.getByLabel('Email of an existing Tally user').fill(others[1]!.email);
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(formAlert(page)).toHaveText('All 3 seats of this team are taken (3 members): buy a seat to add someone.');
  await expect(page.getByTestId('member-row')).toHaveCount(3);

  await page.goto('/dashboard');
  await page.getByLabel('Acting as').selectOption({ label: teamName });
  await expect(page.getByTestId('seats-used')).toContainText('3 of 3 seats used by members.');
  await expect(page.getByTestId('item-seats').getByRole('button')).toHaveCount(0); // seats are not spent
  expect(account.email).toContain('@example.com');
});
