import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getSessionUser } from '@/app/_server/session';

export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  // Already signed in: the forms would only confuse; go where signed-in users live.
  if (await getSessionUser()) redirect('/dashboard');
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-12">
      <Link href="/" className="mb-8 text-center text-2xl font-semibold tracking-tight text-slate-900">
        Tally
      </Link>
      <div className="card">{children}</div>
    </main>
  );
}
