import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm, Field } from '@/app/_components/action-form';
import { signUp } from '../actions';

export const metadata: Metadata = { title: 'Create an account · Tally' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string; email?: string }> }) {
  const { next, email } = await searchParams;
  const signInHref = next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Create your account</h1>
      <ActionForm action={signUp} submitLabel="Create account" pendingLabel="Creating account…" submitClassName="btn-primary w-full">
        <input type="hidden" name="next" value={next ?? ''} />
        <Field name="name" label="Name" autoComplete="name" required />
        <Field name="email" label="Email" type="email" autoComplete="email" defaultValue={email} required />
        <Field name="password" label="Password (8 characters or more)" type="password" autoComplete="new-password" required />
      </ActionForm>
      <p className="mt-6 text-sm text-muted-foreground">
        Already have an account?{' '}
        <Link href={signInHref} className="link">
          Sign in
        </Link>
      </p>
    </>
  );
}
