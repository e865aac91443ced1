/**
 * Runs once when the server starts: a bad environment (say, a Stripe key without a webhook secret)
 * stops it here with a clear message instead of failing on the first request. In emulator mode it
 * starts the emulator's REST API beside the app and retries webhook deliveries that failed, as
 * Stripe keeps retrying on its own schedule.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getEnv } = await import('./lib/env');
  let env: ReturnType<typeof getEnv>;
  try {
    env = getEnv();
  } catch (error) {
    // Listening with a bad environment would answer 500 on every route: stop instead.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  if (!env.stripe.emulator) return;
  const { getDb } = await import('./db');
  const { deliverPendingEvents } = await import('./lib/stripe/emulator/store');
  const { startEmulatorServer } = await import('./lib/stripe/emulator/server');
  const { secretKey, webhookSecret, apiPort } = env.stripe;
  await startEmulatorServer({ db: getDb(), port: apiPort, appUrl: env.appUrl, secretKey, webhookSecret });
  const retry = setInterval(() => {
    deliverPendingEvents(getDb(), { appUrl: env.appUrl, webhookSecret }).catch((error: unknown) => console.error('Emulator delivery failed', error));
  }, 5_000);
  retry.unref();
}
