import { installClockOffset } from '../../clock';
import type { Env } from '../../env';
import { getEmulatorDb } from './db';
import { startEmulatorServer } from './server';
import { runBilling } from './billing';
import { clockOffset, clockOwner, deliverPendingEvents } from './store';

type EmulatorEnv = Extract<Env['stripe'], { emulator: true }>;

/**
 * Runs the emulator as Stripe runs: its REST API on loopback and a delivery loop that retries
 * failed webhooks, and its billing engine (renewals, retries, bank debits) on a one-second timer. One per machine: inside the app (the demo) or as
 * its own process (`npm run stripe:emulator`) that several app instances point at.
 */
export async function runEmulator(appUrl: string, stripe: EmulatorEnv): Promise<void> {
  const db = getEmulatorDb();
  const { secretKey, webhookSecret, apiPort, collectionDelayMs } = stripe;
  await startEmulatorServer({ db, port: apiPort, appUrl, secretKey, webhookSecret });
  // Every second: what billing has come due (also periods that ended while the emulator was down),
  // then the deliveries it queued and the retries of failed ones.
  const tick = setInterval(() => {
    try {
      runBilling(db, Date.now(), { collectionDelayMs });
    } catch (error) {
      console.error('Emulator billing failed', error);
    }
    deliverPendingEvents(db, { appUrl, webhookSecret }).catch((error: unknown) => console.error('Emulator delivery failed', error));
  }, 1_000);
  tick.unref();
}

/** In an app process in emulator mode: the app's clock follows the emulator's test clock. */
export function followEmulatorClock(): void {
  const db = getEmulatorDb();
  installClockOffset((customer) => clockOffset(db, clockOwner(customer)));
}
