import type { Metadata } from 'next';
import { ActionForm, Field } from '@/app/_components/action-form';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { getDb } from '@/db';
import { previewAccountDeletion } from '@/lib/auth/deletion';
import { changeEmail, changePassword, deleteAccount, renameAccount } from './actions';

export const metadata: Metadata = { title: 'Account · Tally' };

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  const { user } = await getCustomerContext();
  const emailChanged = (await searchParams).email === 'changed';
  const deletion = await previewAccountDeletion(getDb(), user.id);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Account</h1>
        <p className="mt-1 text-muted-foreground">Signed in as {user.email}.</p>
      </div>
      {emailChanged ? (
        <p role="status" className="notice bg-success-surface text-success">
          Your email is now {user.email}: use it to sign in.
        </p>
      ) : null}

      <section aria-labelledby="name-heading" className="card space-y-4">
        <h2 id="name-heading" className="text-lg font-semibold">
          Name
        </h2>
        <ActionForm
          action={renameAccount}
          submitLabel="Save name"
          pendingLabel="Saving…"
          successMessage="Saved."
          className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end"
        >
          <Field name="name" label="Your name" autoComplete="name" defaultValue={user.name} required />
        </ActionForm>
      </section>

      <section aria-labelledby="password-heading" className="card space-y-4">
        <h2 id="password-heading" className="text-lg font-semibold">
          Password
        </h2>
        <ActionForm
          action={changePassword}
          submitLabel="Change password"
          pendingLabel="Changing…"
          successMessage="Password changed; your other sessions are signed out."
          resetOnSuccess
        >
          <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required />
          <Field name="newPassword" label="New password (8 characters or more)" type="password" autoComplete="new-password" required />
        </ActionForm>
      </section>

      <section aria-labelledby="email-heading" className="card space-y-4">
        <h2 id="email-heading" className="text-lg font-semibold">
          Email
        </h2>
        <p className="text-sm text-muted-foreground">
          You sign in with {user.email}. To change it, we mail a link to the new address; the change happens when you follow it, within 24 hours.
        </p>
        <ActionForm
          action={changeEmail}
          submitLabel="Send confirmation link"
          pendingLabel="Sending…"
          successMessage="Check the new address’s mailbox: your email changes when you follow the link in it."
          resetOnSuccess
          className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
        >
          <Field name="newEmail" label="New email" type="email" autoComplete="email" required />
          <Field name="password" label="Your password" type="password" autoComplete="current-password" required />
        </ActionForm>
      </section>

      <section aria-labelledby="delete-heading" className="card space-y-4 border-destructive">
        <h2 id="delete-heading" className="text-lg font-semibold text-destructive">
          Delete account
        </h2>
        {deletion.blocker ? (
          <p role="note" className="notice bg-warning-surface text-warning" data-testid="delete-blocked">
            {deletion.blocker}
          </p>
        ) : (
          <>
            <p className="text-sm">Deleting your account cannot be undone. It:</p>
            <ul className="list-inside list-disc space-y-1 text-sm text-muted-foreground" data-testid="delete-consequences">
              {deletion.subscriptions.map((s) => (
                <li key={s.id}>ends {s.label} now: Stripe charges nothing more, and the current period is not refunded;</li>
              ))}
              {deletion.teamsDeleted.map((team) => (
                <li key={team.id}>deletes team {team.name}, which has no other member;</li>
              ))}
              <li>removes you from your other teams and signs you out everywhere;</li>
              <li>deletes your items; receipts of past payments stay at Stripe.</li>
            </ul>
            <ActionForm action={deleteAccount} submitLabel="Delete my account" pendingLabel="Deleting…" submitClassName="btn-danger">
              <Field name="password" label="Password, to confirm" type="password" autoComplete="current-password" required />
            </ActionForm>
          </>
        )}
      </section>
    </div>
  );
}
