import 'server-only';
import type Stripe from 'stripe';
import { getDb } from '@/db';
import { getEnv } from '@/lib/env';
import type { CheckoutDeps } from '@/lib/payments/checkout';
import { appClock } from '@/lib/clock';
import { createStripe } from '@/lib/stripe/client';

const cache = globalThis as { tallyStripe?: Stripe };

/** Database, Stripe client, clock and URL: what the payments functions need, built once. */
export function getAppContext(): CheckoutDeps & { emulator: boolean } {
  const env = getEnv();
  const db = getDb();
  cache.tallyStripe ??= createStripe(env);
  return { db, stripe: cache.tallyStripe, now: appClock, appUrl: env.appUrl, emulator: env.stripe.emulator };
}
