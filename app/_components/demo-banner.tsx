import { connection } from 'next/server';
import { demoPowers } from '@/app/_server/demo';
import { getEnv } from '@/lib/env';

/** Every page of a running demo says so. Read at request time, not build time. */
export async function DemoBanner() {
  await connection();
  const env = getEnv();
  if (!env.demo) return null;
  return (
    <div role="note" aria-label="Demo mode" className="bg-warning-surface px-4 py-1.5 text-center text-xs text-warning">
      <strong>Demo</strong>:{' '}
      {env.stripe.emulator
        ? 'payments go to a local Stripe emulator. Pay with 4242 4242 4242 4242; nothing is charged.'
        : 'Stripe runs in test mode and the demo logins are public. Pay with 4242 4242 4242 4242; nothing is charged.'}
      {env.mail.mailboxVisible && (await demoPowers()) ? (
        <>
          {' '}
          Mail lands in the{' '}
          <a href="/emulator/mailbox" className="underline">
            demo mailbox
          </a>
          .
        </>
      ) : null}
    </div>
  );
}
