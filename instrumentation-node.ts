import { DEMO_SERVER_SECRET_KEY, getEnv, type Env } from './lib/env';
import { stampPeerAddresses } from './lib/http/peer';

/**
 * instrumentation.ts runs this once when a Node.js server starts (kept apart: Edge cannot compile
 * process.exit): a bad environment (say, a Stripe key without a webhook secret)
 * stops it here with a clear message instead of failing on the first request. In emulator mode the
 * app's clock follows the emulator's test clock, and unless the emulator runs as its own process
 * (STRIPE_EMULATOR=external) it starts here: its REST API and its webhook delivery loop.
 */
export async function startNodeServer() {
  // First: requests carry their socket's address from now on (demo powers: loopback only).
  stampPeerAddresses();
  let env: Env;
  try {
    env = getEnv();
  } catch (error) {
    // Listening with a bad environment would answer 500 on every route: stop instead.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  // Production never migrates by itself (two instances starting at once would race): it refuses.
  if (!env.development) {
    const { getDb } = await import('./db');
    const pending = await getDb().pendingMigrations();
    if (pending > 0) {
      console.error(
        `The database has ${pending} pending migration${pending === 1 ? '' : 's'}: run \`npm run db:migrate\` (once per deploy), then start again.`,
      );
      process.exit(1);
    }
  }
  const powers = [
    env.stripe.emulator && 'the Stripe emulator',
    env.mail.mailboxVisible && 'the demo mailbox',
    env.serverSecretKey === DEMO_SERVER_SECRET_KEY && 'the demo server key',
  ].filter(Boolean);
  if (powers.length > 0 && !env.demoOnNetwork) {
    console.log(`Demo: ${powers.join(', ')} answer only requests from this machine (set TALLY_DEMO=1 to demo on the network).`);
  }
  if (!env.stripe.emulator) return;
  const { followEmulatorClock, runEmulator } = await import('./lib/stripe/emulator/start');
  followEmulatorClock();
  if (env.stripe.inProcess) await runEmulator(env.appUrl, env.stripe);
}
