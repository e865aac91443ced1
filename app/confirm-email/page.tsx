import type { Metadata } from 'next';
import { ActionForm } from '@/app/_components/action-form';
import { CenteredCard } from '@/app/_components/centered-card';
import { requireUser } from '@/app/_server/session';
import { confirmEmail } from './actions';

export const metadata: Metadata = { title: 'Confirm your new email · Tally' };

/**
 * Where the mailed link lands, signed in (the proxy sends a visitor to sign in and back): one click
 * confirms, so a mail scanner that opens the link changes nothing.
 */
export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const user = await requireUser();
  return (
    <CenteredCard>
      <h1 className="mb-2 text-xl font-semibold">Confirm your new email</h1>
      <p className="mb-6 text-sm text-muted-foreground">
        Your Tally account ({user.email}) will use the address this mail came to, for signing in and for mail.
      </p>
      <ActionForm action={confirmEmail} submitLabel="Use this email" pendingLabel="Confirming…" submitClassName="btn-primary w-full">
        <input type="hidden" name="token" value={typeof token === 'string' ? token : ''} />
      </ActionForm>
    </CenteredCard>
  );
}
