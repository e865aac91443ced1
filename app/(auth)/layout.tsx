import { CenteredCard } from '@/app/_components/centered-card';
import { redirect } from 'next/navigation';
import { getSessionUser } from '@/app/_server/session';

export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  // Already signed in: the forms would only confuse; go where signed-in users live.
  if (await getSessionUser()) redirect('/dashboard');
  return <CenteredCard>{children}</CenteredCard>;
}
