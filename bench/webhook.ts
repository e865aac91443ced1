// Webhook throughput on `next start`, against a bare route of the same app that reads the body.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { closeTestDbs, createSharedTestDb, insertUser } from '../db/testing';
import { parseEnv } from '../lib/env';
import { createCheckoutUrl } from '../lib/payments/checkout';
import { getQuantity } from '../lib/payments/items';
import { advanceToNextPeriod } from '../lib/stripe/emulator/billing';
import { payCheckoutSession } from '../lib/stripe/emulator/checkout';
import { openEmulatorDb } from '../lib/stripe/emulator/db';
import { emulatorDelivery } from '../lib/stripe/emulator/schema';
import { clockOwner, listObjects } from '../lib/stripe/emulator/store';
import { createInProcessStripe } from '../lib/stripe/emulator/testing';
import { describeQueries, queriesPerRequest } from './load';
import { buildForBench, median, startNext } from './server';

const PORT = 3210;
const APP_URL = `http://localhost:${PORT}`;
const CUSTOMERS_PER_ROUND = 100;
const ROUNDS = 4; // the first warms up
const SENDERS = 4;
const env = parseEnv({ APP_URL });

async function main() {
  buildForBench();
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-webhook-bench-'));
  const { db, target } = await createSharedTestDb(dir);
  const emulatorFile = path.join(dir, 'stripe-emulator.db');
  const emulatorDb = openEmulatorDb(emulatorFile);

  // Each round: fresh customers, half buying a credit pack and half subscribing to Pro, at the emulator.
  const stripe = createInProcessStripe(emulatorDb);
  const deps = { db, stripe, now: () => Date.now(), appUrl: APP_URL };
  const expected = new Map<string, number>();
  const rounds: { events: number; payloads: string[] }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = new Set(listObjects(emulatorDb, 'event').map((e) => e.id));
    for (let i = 0; i < CUSTOMERS_PER_ROUND; i++) {
      const customer = { type: 'user' as const, id: await insertUser(db) };
      const productId = i % 2 === 0 ? 'credit_pack' : 'pro_monthly';
      const url = await createCheckoutUrl(deps, customer, { productId });
      payCheckoutSession(emulatorDb, url.split('/').at(-1)!, { type: 'card', number: '4242424242424242' }, Date.now());
      expected.set(customer.id, productId === 'credit_pack' ? 550 : 1000);
    }
    const events = listObjects(emulatorDb, 'event')
      .filter((e) => !before.has(e.id))
      .map((e) => JSON.stringify(e));
    rounds.push({ events: events.length, payloads: [...events, ...events.filter((_, i) => i % 10 === 0)].sort(() => Math.random() - 0.5) });
  }
  // One pack bought and one Pro subscription, then Pro's renewal: their events, sent one at a time
  // with the query counter read around them (round trips per new purchase and per renewal).
  const eventsSince = (before: Set<string>) => listObjects(emulatorDb, 'event').filter((e) => !before.has(e.id));
  const probes: { name: string; payloads: string[] }[] = [];
  for (const productId of ['credit_pack', 'pro_monthly']) {
    const before = new Set(listObjects(emulatorDb, 'event').map((e) => e.id));
    const customer = { type: 'user' as const, id: await insertUser(db) };
    const url = await createCheckoutUrl(deps, customer, { productId });
    payCheckoutSession(emulatorDb, url.split('/').at(-1)!, { type: 'card', number: '4242424242424242' }, Date.now());
    probes.push({ name: `webhook-${productId}-purchase`, payloads: eventsSince(before).map((e) => JSON.stringify(e)) });
    if (productId === 'pro_monthly') {
      const renewed = new Set(listObjects(emulatorDb, 'event').map((e) => e.id));
      advanceToNextPeriod(emulatorDb, clockOwner(customer), Date.now(), { collectionDelayMs: 0 });
      probes.push({ name: 'webhook-pro_monthly-renewal', payloads: eventsSince(renewed).map((e) => JSON.stringify(e)) });
    }
  }
  emulatorDb.update(emulatorDelivery).set({ deliveredAt: Date.now() }).run(); // the bench sends them itself

  const server = await startNext(PORT, {
    DATABASE_URL: target.dialect === 'postgres' ? target.url : target.file,
    STRIPE_EMULATOR_DATABASE: emulatorFile,
    APP_URL,
  });
  try {
    async function deliver(route: string, payload: string) {
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: env.stripe.webhookSecret });
      const response = await fetch(`${APP_URL}${route}`, {
        method: 'POST',
        body: payload,
        headers: { 'stripe-signature': signature, 'content-type': 'application/json' },
      });
      if (!response.ok) throw new Error(`${route} answered ${response.status}`);
      await response.text();
    }

    async function send(route: string, payloads: string[]): Promise<number> {
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: SENDERS }, async () => {
          while (next < payloads.length) await deliver(route, payloads[next++]!);
        }),
      );
      return payloads.length / ((performance.now() - start) / 1000);
    }

    for (const probe of probes) {
      const inOrder = async () => {
        for (const payload of probe.payloads) await deliver('/api/webhooks/stripe', payload);
      };
      const queries = await queriesPerRequest(APP_URL, inOrder, 1);
      console.log(describeQueries(probe.name, db.dialect, queries, `for its ${probe.payloads.length} events`));
    }

    // A first round warms both routes up (JIT, caches) and is not counted; then rounds alternate
    // bare and webhook, so drift in the machine's speed hits both alike.
    const [warmUp, ...measured] = rounds;
    await send('/api/bare', warmUp!.payloads);
    await send('/api/webhooks/stripe', warmUp!.payloads);
    const ratios: number[] = [];
    for (const [i, round] of measured.entries()) {
      const bare = await send('/api/bare', round.payloads);
      const webhook = await send('/api/webhooks/stripe', round.payloads);
      ratios.push(webhook / bare);
      console.log(
        `round ${i + 1}: ${round.payloads.length} events (${round.events} distinct), ${SENDERS} senders: webhook ${webhook.toFixed(0)} events/s, bare route ${bare.toFixed(0)} requests/s`,
      );
    }
    console.log(`ratio webhook/bare-route (${db.dialect}): ${median(ratios).toFixed(2)} (median of ${ratios.length} rounds)`);

    const wrong: string[] = [];
    for (const [id, quantity] of expected) {
      if ((await getQuantity(db, { customer: { type: 'user', id }, itemId: 'credits' }, Date.now())) !== quantity) wrong.push(id);
    }
    console.log(
      wrong.length === 0 ? `balances: all ${expected.size} match the events applied exactly once` : `balances: ${wrong.length} of ${expected.size} WRONG`,
    );
    if (wrong.length) process.exitCode = 1;
  } finally {
    server.stop();
    await closeTestDbs();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
