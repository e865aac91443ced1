import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../db/testing';
import { createEvent, deliverPendingEvents } from './store';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A webhook endpoint that answers slowly, so delivery runs overlap; records every event id it receives. */
async function slowWebhook() {
  const received: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push((JSON.parse(body) as { id: string }).id);
      setTimeout(() => response.end('{}'), 30);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return { appUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('emulator webhook delivery', () => {
  it('runs one delivery loop at a time: overlapping calls send each event once, including events created meanwhile', async () => {
    const db = createTestDb();
    const { appUrl, received } = await slowWebhook();
    const target = { appUrl, webhookSecret: 'whsec_test' };
    const customer = { id: 'cus_1', object: 'customer' };
    const events = [1, 2, 3].map(() => createEvent(db, 'customer.updated', customer, Date.now()).id);

    const first = deliverPendingEvents(db, target);
    const second = deliverPendingEvents(db, target);
    const late = createEvent(db, 'customer.updated', customer, Date.now()).id;
    const third = deliverPendingEvents(db, target);
    await Promise.all([first, second, third]);

    expect(received.sort()).toEqual([...events, late].sort());
  });
});
