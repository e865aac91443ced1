import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmulatorDb } from './db';
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
    const db = openEmulatorDb(':memory:');
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

  it('sends each event once when several processes deliver from one store file', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tally-emulator-')), 'emulator.db');
    const [a, b] = [openEmulatorDb(file), openEmulatorDb(file)]; // two connections, as two processes have
    const { appUrl, received } = await slowWebhook();
    const target = { appUrl, webhookSecret: 'whsec_test' };
    const events = [1, 2, 3, 4].map(() => createEvent(a, 'customer.updated', { id: 'cus_1', object: 'customer' }, Date.now()).id);
    await Promise.all([deliverPendingEvents(a, target), deliverPendingEvents(b, target)]);
    expect(received.sort()).toEqual(events.sort());
  });
});
