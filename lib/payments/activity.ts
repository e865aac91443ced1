import { and, count, desc, lt } from 'drizzle-orm';
import type { Db } from '../../db';
import { all, get } from '../../db/work';
import { activityNote, itemLedger } from '../../db/schema';
import { isCustomer, type CustomerRef } from './customer-ref';

export const ACTIVITY_PAGE_SIZE = 20;

/** The customer's ledger, newest first, a page at a time (keyset on the id: stable while rows arrive). */
export async function listActivity(db: Db, customer: CustomerRef, before?: number) {
  const { rows, total } = await db.read(function* (tx) {
    const rows = yield* all(
      tx
        .select()
        .from(itemLedger)
        .where(before ? and(isCustomer(itemLedger, customer), lt(itemLedger.id, before)) : isCustomer(itemLedger, customer))
        .orderBy(desc(itemLedger.id))
        .limit(ACTIVITY_PAGE_SIZE + 1),
    );
    const total = (yield* get(tx.select({ n: count() }).from(itemLedger).where(isCustomer(itemLedger, customer))))?.n ?? 0;
    return { rows, total };
  });
  const page = rows.slice(0, ACTIVITY_PAGE_SIZE);
  return { entries: page, total, nextBefore: rows.length > ACTIVITY_PAGE_SIZE ? page.at(-1)!.id : null };
}

/** The latest billing events the purchase hooks wrote for a customer (lib/payments/purchase-hooks.ts). */
export function listBillingEvents(db: Db, customer: CustomerRef, limit = 10) {
  return db.read((tx) =>
    all(
      tx
        .select({ id: activityNote.id, text: activityNote.text, at: activityNote.createdAt })
        .from(activityNote)
        .where(isCustomer(activityNote, customer))
        .orderBy(desc(activityNote.createdAt))
        .limit(limit),
    ),
  );
}
