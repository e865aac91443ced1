import { and, eq, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { CustomerType } from './catalog-schema';

export type CustomerRef = { type: CustomerType; id: string };
export type ItemKey = { customer: CustomerRef; itemId: string };

/** `customer_type = … and customer_id = …` for any table keyed by customer. */
export function isCustomer(table: { customerType: SQLiteColumn; customerId: SQLiteColumn }, customer: CustomerRef): SQL {
  return and(eq(table.customerType, customer.type), eq(table.customerId, customer.id))!;
}

/** "users", "teams", "custom customers": for messages. */
export const customersOfType = (type: CustomerType) => ({ user: 'users', team: 'teams', custom: 'custom customers' })[type];
