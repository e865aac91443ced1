import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { all } from '../../db/work';
import { itemLedger } from '../../db/schema';
import { isCustomer } from '../payments/customer-ref';
import { METERED_ITEM } from './metered';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A team's API calls per UTC day of the month `now` is in, from the ledger: what was spent, less
 * what failed calls gave back. Every day of the month up to today is listed, zeros included.
 */
export async function callsPerDay(db: Db, teamId: string, now: number): Promise<{ day: string; calls: number }[]> {
  const today = new Date(now);
  const monthStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
  const dayOf = sql<number>`(${itemLedger.createdAt} / ${sql.raw(String(DAY_MS))})`;
  const rows = await db.read((tx) =>
    all(
      tx
        .select({ day: dayOf, calls: sql<number>`sum(-${itemLedger.delta})` })
        .from(itemLedger)
        .where(
          and(
            isCustomer(itemLedger, { type: 'team', id: teamId }),
            eq(itemLedger.itemId, METERED_ITEM),
            sql`${itemLedger.reason} in ('consumption', 'returned')`,
            gte(itemLedger.createdAt, monthStart),
          ),
        )
        .groupBy(dayOf),
    ),
  );
  const byDay = new Map(rows.map((row) => [Number(row.day), Number(row.calls)]));
  const days: { day: string; calls: number }[] = [];
  for (let at = monthStart; at <= now; at += DAY_MS) days.push({ day: new Date(at).toISOString().slice(0, 10), calls: byDay.get(at / DAY_MS) ?? 0 });
  return days;
}
