import Stripe from 'stripe';
import type { Db } from '../../db';
import { systemClock, type Clock } from '../clock';
import type { Env } from '../env';
import { emulatorOffset } from './emulator/store';

/**
 * The one Stripe client: the official SDK, pointed at api.stripe.com with a real key, or at the
 * emulator this app serves under `/v1` without one. Nothing else in the app knows which.
 */
export function createStripe(env: Env): Stripe {
  if (!env.stripe.emulator) return new Stripe(env.stripe.secretKey, { maxNetworkRetries: 2 });
  const url = new URL(env.appUrl);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return new Stripe(env.stripe.secretKey, {
    host: url.hostname,
    port: url.port || (protocol === 'https' ? 443 : 80),
    protocol,
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

/** In emulator mode the app shares the emulator's test clock, so "advance a period" moves both. */
export function createAppClock(env: Env, db: Db): Clock {
  return env.stripe.emulator ? () => Date.now() + emulatorOffset(db) : systemClock;
}
