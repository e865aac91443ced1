import { installClockOffset } from '../../clock';
import type { Env } from '../../env';
import { getEmulatorDb } from './db';
import { startEmulatorServer } from './server';
import { deliverPendingEvents, emulatorOffset } from './store';

type EmulatorEnv = Extract<Env['stripe'], { emulator: true }>;

/**
 * Runs the emulator as Stripe runs: its REST API on loopback and a delivery loop that retries
 * failed webhooks every 5 s, on its own schedule. One per machine: inside the app (the demo) or as
 * its own process (`npm run stripe:emulator`) that several app instances point at.
 */
export async function runEmulator(appUrl: string, stripe: EmulatorEnv): Promise<void> {
  const db = getEmulatorDb();
  const { secretKey, webhookSecret, apiPort } = stripe;
  await startEmulatorServer({ db, port: apiPort, appUrl, secretKey, webhookSecret });
  const retry = setInterval(() => {
    deliverPendingEvents(db, { appUrl, webhookSecret }).catch((error: unknown) => console.error('Emulator delivery failed', error));
  }, 5_000);
  retry.unref();
}

/** In an app process in emulator mode: the app's clock follows the emulator's test clock. */
export function followEmulatorClock(): void {
  const db = getEmulatorDb();
  installClockOffset(() => emulatorOffset(db));
}
