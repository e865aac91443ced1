import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Tx } from '../../db';
import { organization, user } from '../../db/schema';
import { get, type Work } from '../../db/work';
import type { CustomerType } from './catalog-schema';

export type CustomerRef = { type: CustomerType; id: string };
export type ItemKey = { customer: CustomerRef; itemId: string };

/** `customer_type = … and customer_id = …` for any table keyed by customer. */
export function isCustomer(table: { customerType: SQLiteColumn; customerId: SQLiteColumn }, customer: CustomerRef): SQL {
  return and(eq(table.customerType, customer.type), eq(table.customerId, customer.id))!;
}

/** `isCustomer` in a statement (../../db/work.ts): placeholders that `customerParams` fills. */
export function isCustomerParam(table: { customerType: SQLiteColumn; customerId: SQLiteColumn }): SQL {
  return and(eq(table.customerType, sql.placeholder('type')), eq(table.customerId, sql.placeholder('id')))!;
}

export const customerParams = (customer: CustomerRef) => ({ type: customer.type, id: customer.id });

/** "users", "teams", "custom customers": for messages. */
export const customersOfType = (type: CustomerType) => ({ user: 'users', team: 'teams', custom: 'custom customers' })[type];

/** Whether the user or team still exists (custom customers are the server's own ids: always). */
export function* customerExists(tx: Tx, customer: CustomerRef): Work<boolean> {
  if (customer.type === 'custom') return true;
  const table = customer.type === 'user' ? user : organization;
  return !!(yield* get(tx.select({ id: table.id }).from(table).where(eq(table.id, customer.id))));
}
