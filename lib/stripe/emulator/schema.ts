// The Stripe emulator's own tables, in its own SQLite file: it stands in for Stripe's servers and is
// no part of the app's data. Migrations: lib/stripe/emulator/migrations (drizzle.emulator.config.ts).
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The local Stripe emulator's objects (customers, sessions, subscriptions…) as Stripe-shaped JSON. */
export const emulatorObject = sqliteTable(
  'emulator_object',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    customer: text('customer'),
    data: text('data', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    /** Wall-clock time the billing engine must next act on it (collect an invoice, settle a bank debit). */
    dueAt: integer('due_at'),
  },
  (table) => [index('emulator_object_type_customer_idx').on(table.type, table.customer), index('emulator_object_type_due_idx').on(table.type, table.dueAt)],
);

/** Webhook deliveries of the emulator, retried with backoff until the app answers 2xx. */
export const emulatorDelivery = sqliteTable(
  'emulator_delivery',
  {
    eventId: text('event_id').primaryKey(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    deliveredAt: integer('delivered_at'),
    lastError: text('last_error'),
  },
  (table) => [index('emulator_delivery_pending_idx').on(table.deliveredAt, table.nextAttemptAt)],
);

/**
 * Test clocks, one per Tally customer, as Stripe's belong to customers: how far that customer's time
 * (at the emulator, and the app's item time in emulator mode) is ahead of the wall clock. Keyed by
 * the `type:id` the app writes in its Stripe customers' metadata, so a customer who never paid has one.
 */
export const emulatorClock = sqliteTable('emulator_clock', {
  owner: text('owner').primaryKey(),
  offsetMs: integer('offset_ms').notNull(),
});
