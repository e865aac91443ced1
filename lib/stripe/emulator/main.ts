// `npm run stripe:emulator`: the Stripe emulator as its own process, for app instances started with
// STRIPE_EMULATOR=external on this machine (same APP_URL, STRIPE_EMULATOR_PORT, DATABASE_URL).
import { getEnv } from '../../env';
import { runEmulator } from './start';

async function main() {
  const env = getEnv();
  if (!env.stripe.emulator) throw new Error('STRIPE_SECRET_KEY is set: there is no emulator to run.');
  await runEmulator(env.appUrl, env.stripe);
  console.log(`Stripe emulator on http://127.0.0.1:${env.stripe.apiPort}, store ${env.stripe.databaseFile}, webhooks to ${env.appUrl}/api/webhooks/stripe`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
