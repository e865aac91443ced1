import { connection } from 'next/server';
import { getEnv } from '@/lib/env';

/** Every page of a running demo says so: its payments go to the local Stripe emulator. Read at request time, not build time. */
export async function DemoBanner() {
  await connection();
  if (!getEnv().stripe.emulator) return null;
  return (
    <div role="note" aria-label="Demo mode" className="bg-amber-100 px-4 py-1.5 text-center text-xs text-amber-900">
      <strong>Demo</strong>: payments go to a local Stripe emulator. Pay with 4242 4242 4242 4242; nothing is charged.
    </div>
  );
}
