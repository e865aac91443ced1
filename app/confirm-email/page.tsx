import type { Metadata } from 'next';
import { ActionForm } from '@/app/_components/action-form';
import { CenteredCard } from '@/app/_components/centered-card';
import { confirmEmail } from './actions';

export const metadata: Metadata = { title: 'Confirm your new email · Tally' };

/** Where the mailed link lands: one click confirms (a mail scanner that opens the link changes nothing). */
export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <CenteredCard>
      <h1 className="mb-2 text-xl font-semibold">Confirm your new email</h1>
      <p className="mb-6 text-sm text-muted-foreground">Your Tally account will use the address this mail came to, for signing in and for mail.</p>
      <ActionForm action={confirmEmail} submitLabel="Use this email" pendingLabel="Confirming…" submitClassName="btn-primary w-full">
        <input type="hidden" name="token" value={typeof token === 'string' ? token : ''} />
      </ActionForm>
    </CenteredCard>
  );
}
