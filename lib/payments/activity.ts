import { and, count, desc, lt } from 'drizzle-orm';
import type { Queryable } from '../../db';
import { itemLedger } from '../../db/schema';
import { isCustomer, type CustomerRef } from './customer-ref';

export const ACTIVITY_PAGE_SIZE = 20;

/** The customer's ledger, newest first, a page at a time (keyset on the id: stable while rows arrive). */
export function listActivity(db: Queryable, customer: CustomerRef, before?: number) {
  const rows = db
    .select()
    .from(itemLedger)
    .where(before ? and(isCustomer(itemLedger, customer), lt(itemLedger.id, before)) : isCustomer(itemLedger, customer))
    .orderBy(desc(itemLedger.id))
    .limit(ACTIVITY_PAGE_SIZE + 1)
    .all();
  const total = db.select({ n: count() }).from(itemLedger).where(isCustomer(itemLedger, customer)).get()?.n ?? 0;
  const page = rows.slice(0, ACTIVITY_PAGE_SIZE);
  return { entries: page, total, nextBefore: rows.length > ACTIVITY_PAGE_SIZE ? page.at(-1)!.id : null };
}
