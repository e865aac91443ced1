import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import type { EmulatorDb, EmulatorQueryable } from './db';
import { emulatorClock, emulatorDelivery, emulatorObject } from './schema';

/** Objects the emulator stores. Fields beginning with `_` are its own and never leave it. */
export type Stored = { id: string; object: string; customer?: unknown; [key: string]: unknown };

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** Whose test clock: the Tally customer a Stripe customer's metadata names (the app writes it). */
export const clockOwner = (customer: { type: string; id: string }) => `${customer.type}:${customer.id}`;

export function clockOffset(db: EmulatorQueryable, owner: string): number {
  return db.select({ offsetMs: emulatorClock.offsetMs }).from(emulatorClock).where(eq(emulatorClock.owner, owner)).get()?.offsetMs ?? 0;
}

export function setClockOffset(db: EmulatorQueryable, owner: string, offsetMs: number) {
  db.insert(emulatorClock).values({ owner, offsetMs }).onConflictDoUpdate({ target: emulatorClock.owner, set: { offsetMs } }).run();
}

/** The clock owner of a Stripe customer, or null for a customer another app created. */
export function ownerOfCustomer(db: EmulatorQueryable, stripeCustomerId: string): string | null {
  const metadata = getObject<Stored & { metadata?: Record<string, string> }>(db, stripeCustomerId, 'customer')?.metadata;
  return metadata?.customerType && metadata.customerId ? clockOwner({ type: metadata.customerType, id: metadata.customerId }) : null;
}

/** A Stripe customer's time: the wall clock plus its test clock's offset. */
export function customerTime(db: EmulatorQueryable, stripeCustomerId: string, wallNow: number): number {
  const owner = ownerOfCustomer(db, stripeCustomerId);
  return wallNow + (owner ? clockOffset(db, owner) : 0);
}

export const seconds = (ms: number) => Math.floor(ms / 1000);

/** When the billing engine must next act on an object: an invoice's collection, a bank debit's settlement. */
function dueAtOf(object: Stored): number | null {
  const at = object._collect_at ?? (object._settles as { at?: unknown } | undefined)?.at;
  return typeof at === 'number' ? at : null;
}

export function putObject<T extends Stored>(db: EmulatorQueryable, object: T, now: number): T {
  const customer = typeof object.customer === 'string' ? object.customer : null;
  const dueAt = dueAtOf(object);
  db.insert(emulatorObject)
    .values({ id: object.id, type: object.object, customer, data: object, createdAt: now, dueAt })
    .onConflictDoUpdate({ target: emulatorObject.id, set: { data: object, customer, dueAt } })
    .run();
  return object;
}

/** Objects of a type the billing engine must act on by `wallNow`. */
export function listDue<T extends Stored>(db: EmulatorQueryable, type: string, wallNow: number): T[] {
  return db
    .select({ data: emulatorObject.data })
    .from(emulatorObject)
    .where(and(eq(emulatorObject.type, type), lte(emulatorObject.dueAt, wallNow)))
    .orderBy(asc(emulatorObject.dueAt))
    .all()
    .map((r) => r.data as T);
}

export function getObject<T extends Stored>(db: EmulatorQueryable, id: string, type: string): T | undefined {
  const row = db
    .select({ data: emulatorObject.data })
    .from(emulatorObject)
    .where(and(eq(emulatorObject.id, id), eq(emulatorObject.type, type)))
    .get();
  return row?.data as T | undefined;
}

export function listObjects<T extends Stored>(db: EmulatorQueryable, type: string, customer?: string): T[] {
  const where = customer ? and(eq(emulatorObject.type, type), eq(emulatorObject.customer, customer)) : eq(emulatorObject.type, type);
  return db
    .select({ data: emulatorObject.data })
    .from(emulatorObject)
    .where(where)
    .orderBy(asc(emulatorObject.createdAt), sql`rowid`)
    .all()
    .map((r) => r.data as T);
}

/** What the API returns: the stored object without the emulator's private fields. */
export function publicView(object: Stored): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !key.startsWith('_')));
}

/** Records a Stripe-shaped event and queues its delivery. */
export function createEvent(db: EmulatorQueryable, type: Stripe.Event.Type, object: Stored, now: number): Stored {
  const event = {
    id: newId('evt'),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: seconds(now),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object: publicView(object) },
  };
  putObject(db, event, now);
  db.insert(emulatorDelivery).values({ eventId: event.id, nextAttemptAt: 0 }).run();
  return event;
}

/** Longer than a delivery may take (its request times out at half of it). */
const LEASE_MS = 60_000;
const BACKOFF_MS = [0, 1_000, 5_000, 30_000, 120_000, 600_000];

type DeliveryTarget = { appUrl: string; webhookSecret: string };
type DeliveryLoop = { again: boolean; done: Promise<void> };
// On globalThis: a Next.js build holds more than one copy of this module (instrumentation, pages).
const registry = globalThis as { tallyDeliveryLoops?: WeakMap<EmulatorDb, DeliveryLoop> };
const loops = (registry.tallyDeliveryLoops ??= new WeakMap());

/**
 * POSTs due events to the app's webhook route, signed as Stripe signs them, oldest first. One
 * delivery loop per database at a time, as Stripe sends one event once: a call made while a loop
 * runs asks it for one more pass (for events created meanwhile) and resolves when that ends.
 */
export function deliverPendingEvents(db: EmulatorDb, target: DeliveryTarget): Promise<void> {
  const running = loops.get(db);
  if (running) {
    running.again = true;
    return running.done;
  }
  const loop: DeliveryLoop = { again: true, done: Promise.resolve() };
  loop.done = (async () => {
    try {
      while (loop.again) {
        loop.again = false;
        await deliverDueEvents(db, target);
      }
    } finally {
      loops.delete(db);
    }
  })();
  loops.set(db, loop);
  return loop.done;
}

/** One pass over the due deliveries. A failure is retried with growing delays, as Stripe does; wall-clock time, not the test clock. */
async function deliverDueEvents(db: EmulatorDb, { appUrl, webhookSecret }: DeliveryTarget): Promise<void> {
  const webhookUrl = `${appUrl}/api/webhooks/stripe`;
  const due = db
    .select()
    .from(emulatorDelivery)
    .where(and(isNull(emulatorDelivery.deliveredAt), lte(emulatorDelivery.nextAttemptAt, Date.now())))
    .orderBy(asc(emulatorDelivery.nextAttemptAt))
    .all();
  for (const delivery of due) {
    // A lease another process cannot take: several processes may run delivery loops on one store
    // file (app instances beside an external emulator), and each event still goes out once at a time.
    const leased = db
      .update(emulatorDelivery)
      .set({ nextAttemptAt: Date.now() + LEASE_MS })
      .where(and(eq(emulatorDelivery.eventId, delivery.eventId), isNull(emulatorDelivery.deliveredAt), lte(emulatorDelivery.nextAttemptAt, Date.now())))
      .run();
    if (leased.changes !== 1) continue;
    const event = getObject(db, delivery.eventId, 'event');
    if (!event) continue;
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    let error: string | null = null;
    try {
      const response = await fetch(webhookUrl, {
        method: 'POST',
        signal: AbortSignal.timeout(LEASE_MS / 2),
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      });
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const attempts = delivery.attempts + 1;
    db.update(emulatorDelivery)
      .set(
        error
          ? { attempts, lastError: error, nextAttemptAt: Date.now() + (BACKOFF_MS[attempts] ?? BACKOFF_MS.at(-1)!) }
          : { attempts, lastError: null, deliveredAt: Date.now() },
      )
      .where(eq(emulatorDelivery.eventId, delivery.eventId))
      .run();
  }
}
