import { formAlert, expect, linkInMail, newAccount, signIn, signOut, signUp, test } from './fixtures';

test('sign up lands on the dashboard, sign out, sign in again', async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await expect(page.getByTestId('selected-customer')).toHaveText('Personal account');

  await signOut(page);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);

  await signIn(page, account.email, account.password);
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email);
  await page.goto('/sign-in');
  await expect(page).toHaveURL(/\/dashboard$/); // signed in: no sign-in form
});

test('a signed-out visitor is sent to sign in and back to the page they asked for', async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await signOut(page);

  await page.goto('/teams');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fteams$/);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/teams$/);
  await expect(page.getByRole('heading', { name: 'Your teams' })).toBeVisible();
});

test('wrong password and duplicate email get clear messages next to the form', async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await signOut(page);

  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(page)).toHaveText('Wrong email or password.');
  await expect(page.getByLabel('Email')).toHaveValue(account.email);

  await page.goto('/sign-up');
  await page.getByLabel('Name').fill('Someone Else');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel(/^Password/).fill('another password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(formAlert(page)).toContainText('already exists');
});

test('after sign-out the old session cookie opens nothing, though the server had just remembered it', async ({ page, browser }) => {
  const account = newAccount();
  await signUp(page, account);
  await page.goto('/billing'); // the server verifies the session and remembers it for a few seconds
  const saved = (await page.context().cookies()).filter((c) => c.name.includes('session_token'));
  expect(saved).toHaveLength(1);
  await signOut(page);

  const replay = await browser.newContext();
  await replay.addCookies(saved);
  const tab = await replay.newPage();
  await tab.goto('/dashboard');
  await expect(tab).toHaveURL(/\/sign-in/);
  await expect(tab.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await replay.close();
});

test('forgot password: the mailed link sets a new password, signs out every session, and works once', async ({ page, browser, account }) => {
  const other = await browser.newPage();
  await signIn(other, account.email, account.password);
  await signOut(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible(); // not the sign-in form's Email
  await page.getByLabel('Email').fill(account.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('If an account uses this email, a reset link is on its way');

  const link = await linkInMail(page, account.email, /\/reset-password\?token=/);
  await expect(page.getByTestId('mail').first()).toContainText('Reset your Tally password');
  await page.goto(link);
  await page.getByLabel(/^New password/).fill('short');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(formAlert(page)).toHaveText('Use at least 8 characters.');
  await page.getByLabel(/^New password/).fill('a brand new password');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('Your password is changed');

  await other.reload();
  await expect(other).toHaveURL(/\/sign-in/);
  await other.close();

  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(page)).toHaveText('Wrong email or password.');
  await signIn(page, account.email, 'a brand new password');

  await signOut(page);
  await page.goto(link);
  await page.getByLabel(/^New password/).fill('another new password');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(formAlert(page)).toHaveText('This reset link has expired or was already used. Ask for a new one.');
});

test('account settings: rename, change the password (other sessions end), delete the account', async ({ page, browser, account }) => {
  await page.getByTestId('signed-in-user').click();
  await expect(page.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();
  await page.getByLabel('Your name').fill('Renamed Person');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(page.getByLabel('Your name')).toHaveValue('Renamed Person');

  const other = await browser.newPage();
  await signIn(other, account.email, account.password);
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel(/^New password/).fill('a changed password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(formAlert(page)).toHaveText('Your current password is not right.');
  await page.getByLabel('Current password').fill(account.password);
  await page.getByLabel(/^New password/).fill('a changed password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('main').getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();
  await expect(async () => {
    await other.reload();
    await expect(other).toHaveURL(/\/sign-in/, { timeout: 500 });
  }).toPass({ timeout: 15_000 }); // another server may remember the session for up to 10 s
  await other.close();

  await page.getByLabel('Password, to confirm').fill(account.password); // the old one
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(formAlert(page)).toHaveText('Your current password is not right.');
  await page.getByLabel('Password, to confirm').fill('a changed password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByRole('status')).toHaveText('Your account was deleted. Thank you for trying Tally.');
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill('a changed password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(page)).toHaveText('Wrong email or password.');
});

test('changing the email: a link goes to the new address, and the email changes only when it is followed', async ({ page, account }) => {
  const newEmail = newAccount('moved').email;
  await page.goto('/account');
  await page.getByLabel('New email').fill(newEmail);
  await page.getByLabel('Your password').fill('not my password');
  await page.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(formAlert(page)).toHaveText('Your current password is not right.');
  await page.getByLabel('Your password').fill(account.password);
  await page.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('your email changes when you follow the link');
  await page.reload();
  await expect(page.getByTestId('signed-in-user')).toHaveText(account.email); // not yet

  const link = await linkInMail(page, newEmail, /\/confirm-email\?token=/);
  await page.goto(link);
  await page.getByRole('button', { name: 'Use this email' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Your email is now ${newEmail}: use it to sign in.`);
  await expect(page.getByTestId('signed-in-user')).toHaveText(newEmail);

  await signOut(page);
  await signIn(page, newEmail, account.password);
  await page.goto(link);
  await page.getByRole('button', { name: 'Use this email' }).click();
  await expect(formAlert(page)).toContainText('This link has expired, was already used');
});
