import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm, Field } from '@/app/_components/action-form';
import { forgotPassword } from '../actions';

export const metadata: Metadata = { title: 'Reset your password · Tally' };

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  const { email } = await searchParams;
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">Reset your password</h1>
      <p className="mb-6 text-sm text-muted-foreground">Enter your account&apos;s email and we will mail you a link to choose a new password.</p>
      <ActionForm
        action={forgotPassword}
        submitLabel="Send reset link"
        pendingLabel="Sending…"
        successMessage="If an account uses this email, a reset link is on its way. It works for 60 minutes."
        submitClassName="btn-primary w-full"
      >
        <Field name="email" label="Email" type="email" autoComplete="email" defaultValue={email} required />
      </ActionForm>
      <p className="mt-6 text-sm text-muted-foreground">
        Remembered it?{' '}
        <Link href="/sign-in" className="link">
          Sign in
        </Link>
      </p>
    </>
  );
}
