import { and, count, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../db';
import { all, get } from '../../db/work';
import { activityNote, apiKey, itemLedger, purchase, user } from '../../db/schema';
import { catalog } from './catalog';
import { parseActor } from './actor';
import { isCustomer, type CustomerRef } from './customer-ref';

export const ACTIVITY_PAGE_SIZE = 50;

type ActivityQuery = { before?: number; itemId?: string; limit?: number };

const ofCustomer = (customer: CustomerRef, itemId?: string) => and(isCustomer(itemLedger, customer), itemId ? eq(itemLedger.itemId, itemId) : undefined);

/** A page of the customer's ledger, newest first (keyset on the id: stable while rows arrive), of one item or all. */
async function ledgerPage(db: Db, customer: CustomerRef, { before, itemId, limit = ACTIVITY_PAGE_SIZE }: ActivityQuery) {
  const where = and(ofCustomer(customer, itemId), before ? lt(itemLedger.id, before) : undefined);
  const rows = await db.read((tx) =>
    all(
      tx
        .select()
        .from(itemLedger)
        .where(where)
        .orderBy(desc(itemLedger.id))
        .limit(limit + 1),
    ),
  );
  const page = rows.slice(0, limit);
  const [names, products] = await Promise.all([actorNames(db, page), productNames(db, page)]);
  return {
    entries: page.map((entry) => ({
      ...entry,
      by: names.get(entry.actor) ?? 'Tally',
      product: entry.purchaseId ? (products.get(entry.purchaseId) ?? null) : null,
    })),
    nextBefore: rows.length > limit ? page.at(-1)!.id : null,
  };
}

/** The activity page: a page of the ledger and how many entries there are in all. */
export async function listActivity(db: Db, customer: CustomerRef, query: ActivityQuery = {}) {
  const [page, total] = await Promise.all([
    ledgerPage(db, customer, query),
    db.read((tx) => get(tx.select({ n: count() }).from(itemLedger).where(ofCustomer(customer, query.itemId)))),
  ]);
  return { ...page, total: total?.n ?? 0 };
}

export type ActivityEntry = Awaited<ReturnType<typeof listActivity>>['entries'][number];

/**
 * Consecutive identical usage as one line: the same item, amount, spender and note one after
 * another ("Used −10 × 20"), with the entries kept for whoever expands it. Anything else stays alone.
 */
export function collapseUsage(entries: ActivityEntry[]): { entries: ActivityEntry[] }[] {
  const runs: { entries: ActivityEntry[] }[] = [];
  for (const entry of entries) {
    const run = runs.at(-1)?.entries;
    const first = run?.[0];
    const same =
      first?.reason === 'consumption' &&
      entry.reason === 'consumption' &&
      first.itemId === entry.itemId &&
      first.delta === entry.delta &&
      first.actor === entry.actor &&
      first.description === entry.description;
    if (same) run!.push(entry);
    else runs.push({ entries: [entry] });
  }
  return runs;
}

/** A CSV cell: quoted when it must be, and text a spreadsheet would run as a formula made inert. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  // Quoted also for a semicolon: spreadsheets in many locales split cells on it.
  return /[",;\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole ledger (or one item's) as CSV lines, newest first, read a thousand rows at a time. */
export async function* activityCsv(db: Db, customer: CustomerRef, itemId?: string): AsyncGenerator<string> {
  yield 'time_utc,item,reason,product,description,by,change,balance\n';
  let before: number | undefined;
  do {
    const page = await ledgerPage(db, customer, { before, itemId, limit: 1000 });
    yield page.entries
      .map(
        (e) => [new Date(e.createdAt).toISOString(), e.itemId, e.reason, e.product, e.description, e.by, e.delta, e.balanceAfter].map(csvCell).join(',') + '\n',
      )
      .join('');
    before = page.nextBefore ?? undefined;
  } while (before);
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
