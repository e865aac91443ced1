import Link from 'next/link';

/** A page of one card under the app's name: the sign-in forms, an invitation. */
export function CenteredCard({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-12 outline-none">
      <Link href="/" className="mb-8 text-center text-2xl font-semibold tracking-tight text-foreground">
        Tally
      </Link>
      <div className="card">{children}</div>
    </main>
  );
}
