import Link from 'next/link';

export default function HomePage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center px-6 py-16">
      <p className="text-sm font-semibold tracking-wide text-indigo-600 uppercase">Tally</p>
      <h1 className="mt-2 text-4xl font-bold tracking-tight sm:text-5xl">Credits, seats and quotas your customers buy.</h1>
      <p className="mt-4 text-lg text-slate-600">
        A Next.js starter for customer billing with items: users and teams buy with Stripe, subscriptions replenish every period, and your app spends items
        atomically.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href="/sign-up" className="btn-primary">
          Create an account
        </Link>
        <Link href="/sign-in" className="btn-secondary">
          Sign in
        </Link>
      </div>
    </main>
  );
}
