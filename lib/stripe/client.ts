import 'server-only';
import Stripe from 'stripe';
import type { Env } from '../env';

/**
 * The one Stripe client: the official SDK, pointed at api.stripe.com with a real key, or at the
 * emulator the app starts on loopback without one (instrumentation.ts). Nothing else in the app
 * knows which.
 */
export function createStripe(env: Env): Stripe {
  if (!env.stripe.emulator) return new Stripe(env.stripe.secretKey, { maxNetworkRetries: 2 });
  return new Stripe(env.stripe.secretKey, { host: '127.0.0.1', port: env.stripe.apiPort, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}
