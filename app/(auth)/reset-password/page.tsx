import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm, Field } from '@/app/_components/action-form';
import { chooseNewPassword } from '../actions';

export const metadata: Metadata = { title: 'Choose a new password · Tally' };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Choose a new password</h1>
      <ActionForm action={chooseNewPassword} submitLabel="Set new password" pendingLabel="Saving…" submitClassName="btn-primary w-full">
        <input type="hidden" name="token" value={typeof token === 'string' ? token : ''} />
        <Field name="password" label="New password (8 characters or more)" type="password" autoComplete="new-password" required />
      </ActionForm>
      <p className="mt-6 text-sm text-muted-foreground">
        Link expired?{' '}
        <Link href="/forgot-password" className="link">
          Ask for a new one
        </Link>
      </p>
    </>
  );
}
