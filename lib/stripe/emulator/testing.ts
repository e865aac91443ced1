import Stripe from 'stripe';
import type { EmulatorDb } from './db';
import { handleEmulatorRequest } from './api';
import { parseStripeForm } from './form';

export const TEST_APP_URL = 'http://tally.test';

/**
 * The real Stripe SDK wired to the emulator in-process (its fetch goes to the REST handler, not
 * the network), so unit tests exercise the same requests and responses as the running app.
 */
export function createInProcessStripe(emulatorDb: EmulatorDb): Stripe {
  const fetchFn = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? init.body : '';
    const form = method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    const result = handleEmulatorRequest(emulatorDb, {
      method,
      path: url.pathname.replace(/^\/v1\//, '').split('/'),
      params: parseStripeForm(form),
      wallNow: Date.now(),
      appUrl: TEST_APP_URL,
    });
    return new Response(JSON.stringify(result.body), { status: result.status, headers: { 'content-type': 'application/json', 'request-id': 'req_test' } });
  };
  return new Stripe('sk_test_tally_emulator', {
    httpClient: Stripe.createFetchHttpClient(fetchFn as typeof fetch),
    host: 'tally.test',
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}
