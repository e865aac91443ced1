import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// Stripe is the emulator in-process (the real SDK, its requests answered without a socket): the
// test depends on no server and no port, whatever listens on this machine.
vi.mock('@/app/_server/app-context', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/app/_server/app-context')>();
  const { openEmulatorDb } = await import('@/lib/stripe/emulator/db');
  const { createInProcessStripe } = await import('@/lib/stripe/emulator/testing');
  const stripe = createInProcessStripe(openEmulatorDb(':memory:'));
  return { getAppContext: () => ({ ...real.getAppContext(), stripe }) };
});

const secret = 'whsec_tally_emulator';
let POST: (request: Request) => Promise<Response>;
const outgoing = [vi.spyOn(http, 'request'), vi.spyOn(https, 'request')];

afterEach(() => {
  for (const spy of outgoing) expect(spy, 'no request leaves the process').not.toHaveBeenCalled();
});

beforeAll(async () => {
  process.env.DATABASE_URL = path.join(mkdtempSync(path.join(tmpdir(), 'tally-webhook-')), 'app.db');
  const { getDb, migrateDatabase } = await import('@/db');
  migrateDatabase(getDb().orm);
  ({ POST } = await import('./route'));
});

const payload = JSON.stringify({ id: 'evt_test_1', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer' } } });

function post(body: string, signature: string) {
  return POST(new Request('http://localhost/api/webhooks/stripe', { method: 'POST', body, headers: { 'stripe-signature': signature } }));
}

describe('POST /api/webhooks/stripe', () => {
  it('accepts a correctly signed event and ignores a type it does not handle', async () => {
    const response = await post(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'ignored' });
  });

  it('rejects a tampered body, a wrong secret, a stale timestamp and a missing header with 400', async () => {
    const good = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect((await post(payload.replace('cus_1', 'cus_2'), good)).status).toBe(400);
    expect((await post(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' }))).status).toBe(400);
    const stale = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await post(payload, stale)).status).toBe(400);
    expect((await post(payload, '')).status).toBe(400);
  });

  it('refuses a body over 1 MB with 413, declared or streamed, before verifying it', async () => {
    const big = 'x'.repeat(1_000_001);
    expect((await post(big, Stripe.webhooks.generateTestHeaderString({ payload: big, secret }))).status).toBe(413);
    const chunk = new Uint8Array(64 * 1024).fill(32);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk); // never ends: only a reader that stops early returns
      },
    });
    const streamed = new Request('http://localhost/api/webhooks/stripe', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'stripe-signature': 't=1,v1=x' },
    } as RequestInit);
    expect((await POST(streamed)).status).toBe(413);
    expect(sent).toBeLessThan(2_000_000);
  });

  it('answers 500 when handling fails, so Stripe retries', async () => {
    // A completed checkout whose session the (in-process) emulated Stripe does not know: the re-read fails.
    const failing = JSON.stringify({
      id: 'evt_test_2',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: { id: 'cs_test_missing', object: 'checkout.session' } },
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await post(failing, Stripe.webhooks.generateTestHeaderString({ payload: failing, secret }));
    expect(response.status).toBe(500);
    // The emulator answered: it does not know the session (not a refused or timed-out connection).
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('evt_test_2'), expect.objectContaining({ statusCode: 404, param: 'id' }));
    logged.mockRestore();
  });
});
