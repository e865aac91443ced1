import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm, Field } from '@/app/_components/action-form';
import { signIn } from '../actions';

export const metadata: Metadata = { title: 'Sign in · Tally' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; email?: string; reset?: string }> }) {
  const { next, email, reset } = await searchParams;
  const signUpHref = next ? `/sign-up?next=${encodeURIComponent(next)}` : '/sign-up';
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Sign in</h1>
      {reset ? (
        <p role="status" className="mb-4 rounded-md bg-success-surface px-3 py-2 text-sm text-success">
          Your password is changed, and every session of your account was signed out. Sign in with the new one.
        </p>
      ) : null}
      <ActionForm action={signIn} submitLabel="Sign in" pendingLabel="Signing in…" submitClassName="btn-primary w-full">
        <input type="hidden" name="next" value={next ?? ''} />
        <Field name="email" label="Email" type="email" autoComplete="email" defaultValue={email} required />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
      </ActionForm>
      <p className="mt-4 text-sm">
        <Link href="/forgot-password" className="link">
          Forgot your password?
        </Link>
      </p>
      <p className="mt-2 text-sm text-muted-foreground">
        New to Tally?{' '}
        <Link href={signUpHref} className="link">
          Create an account
        </Link>
      </p>
    </>
  );
}
