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
  },
  (table) => [index('emulator_object_type_customer_idx').on(table.type, table.customer)],
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

/** The emulator's test clock: how far its time (and the app's, in emulator mode) is ahead of the wall clock. */
export const emulatorClock = sqliteTable('emulator_clock', {
  id: integer('id').primaryKey(),
  offsetMs: integer('offset_ms').notNull(),
});
