import { and, count, desc, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../db';
import { all, get } from '../../db/work';
import { activityNote, apiKey, itemLedger, purchase, user } from '../../db/schema';
import { catalog } from './catalog';
import { parseActor } from './actor';
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
  const [names, products] = await Promise.all([actorNames(db, page), productNames(db, page)]);
  return {
    entries: page.map((entry) => ({
      ...entry,
      by: names.get(entry.actor) ?? 'Tally',
      product: entry.purchaseId ? (products.get(entry.purchaseId) ?? null) : null,
    })),
    total,
    nextBefore: rows.length > ACTIVITY_PAGE_SIZE ? page.at(-1)!.id : null,
  };
}

/** The product each purchase of the page is of, by the catalog's name: "Credit pack", "Pro". */
async function productNames(db: Db, entries: { purchaseId: string | null }[]): Promise<Map<string, string>> {
  const ids = [...new Set(entries.flatMap((entry) => (entry.purchaseId ? [entry.purchaseId] : [])))];
  if (ids.length === 0) return new Map();
  const rows = await db.read((tx) => all(tx.select({ id: purchase.id, productId: purchase.productId }).from(purchase).where(inArray(purchase.id, ids))));
  return new Map(rows.map((row) => [row.id, catalog.products[row.productId]?.displayName ?? row.productId]));
}

/** Who made each change, as a person reads it: a user's name, an API key's name, Stripe or Tally. */
async function actorNames(db: Db, entries: { actor: string }[]): Promise<Map<string, string>> {
  const actors = [...new Set(entries.map((entry) => entry.actor))].map((actor) => ({ actor, ...parseActor(actor) }));
  const ids = (type: 'user' | 'api_key') => actors.flatMap((a) => (a.type === type && 'id' in a ? [a.id] : []));
  const [users, keys] = await db.read(function* (tx) {
    const userIds = ids('user');
    const keyIds = ids('api_key');
    return [
      userIds.length ? yield* all(tx.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, userIds))) : [],
      keyIds.length ? yield* all(tx.select({ id: apiKey.id, name: apiKey.name }).from(apiKey).where(inArray(apiKey.id, keyIds))) : [],
    ] as const;
  });
  const names = new Map<string, string>([['stripe', 'Stripe']]);
  for (const u of users) names.set(`user:${u.id}`, u.name);
  for (const k of keys) names.set(`api_key:${k.id}`, `API key “${k.name}”`);
  return names;
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
