import type { Metadata } from 'next';
import { ActionForm, Field } from '@/app/_components/action-form';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { changePassword, deleteAccount, renameAccount } from './actions';

export const metadata: Metadata = { title: 'Account · Tally' };

export default async function AccountPage() {
  const { user } = await getCustomerContext();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Account</h1>
        <p className="mt-1 text-slate-600">Signed in as {user.email}.</p>
      </div>

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
        <p className="text-sm text-slate-600">Your email cannot be changed yet: sign up again with the new one and invite it to your teams.</p>
      </section>

      <section aria-labelledby="delete-heading" className="card space-y-4 border-red-200">
        <h2 id="delete-heading" className="text-lg font-semibold text-red-800">
          Delete account
        </h2>
        <p className="text-sm text-slate-600">
          Deletes your account, your sessions and your memberships, and teams you are alone in. Cancel your subscription first; a team you own with others needs
          another owner first.
        </p>
        <ActionForm action={deleteAccount} submitLabel="Delete my account" pendingLabel="Deleting…" submitClassName="btn-danger">
          <Field name="confirmEmail" label={`Type ${user.email} to confirm`} type="email" autoComplete="off" required />
        </ActionForm>
      </section>
    </div>
  );
}
