import { describe, expect, it } from 'vitest';
import { createApiKey } from '../api/keys';
import { METERED_ITEM, meteredCall } from '../api/metered';
import { summarize, summarizeInput } from '../api/summarize';
import { updateQuantity } from '../rest/payments-api';
import { updateQuantityBody } from '../rest/schemas';
import type { CustomerRef } from './customer-ref';
import { addDuration } from './duration';
import { applyQuantityUpdate, decreaseQuantity, increaseQuantity, tryDecreaseQuantity } from './items';
import { customerOverview } from './overview';
import { grantProduct } from './products';
import { updatePurchase } from './purchases';
import { DAY, insertSubscription, ledgerSum, setup, T0 } from './testing';

/**
 * The spend order: what would be lost first is spent first. A plan's monthly credits reset at the
 * next window, so they go before a pack that never expires, whichever was bought first; a dated
 * grant that expires before that goes before both. Proven on every path that spends.
 */

type Setup = Awaited<ReturnType<typeof setup>>;

/** A credit pack (never expires), then Pro an hour later (1,000 a month, reset at renewal). */
async function packThenPro({ db, user, clock }: Setup) {
  await grantProduct(db, user, 'credit_pack', 1, clock.now);
  clock.now += 3_600_000;
  const pro = await insertSubscription(db, user, 'pro_monthly', { startedAt: clock.now, paidThrough: addDuration(clock.now, [1, 'month']) });
  return pro;
}

/** What the dashboard's item card lists: remaining by source. */
async function sources({ db, clock }: Setup, customer: CustomerRef, itemId: string) {
  const { sources } = (await customerOverview(db, customer, clock.now)).sources.get(itemId)!;
  return Object.fromEntries(sources.map((s) => [s.label, s.remaining]));
}

const credits = (s: Setup) => ({ customer: s.user, itemId: 'credits' });

/** A spend through the server REST API's update-quantity, as another backend would call it. */
const restSpend = (s: Setup, n: number, allowNegative: 'true' | 'false') =>
  updateQuantity(
    { db: s.db, now: () => s.clock.now },
    { customer_type: 'user', customer_id: s.user.id, item_id: 'credits' },
    { allow_negative: allowNegative },
    updateQuantityBody.parse({ delta: -n }),
  );

const spendPaths: [string, (s: Setup, n: number) => Promise<unknown>][] = [
  ['tryDecreaseQuantity', (s, n) => tryDecreaseQuantity(s.db, credits(s), n, s.clock.now)],
  ['decreaseQuantity', (s, n) => decreaseQuantity(s.db, credits(s), n, s.clock.now)],
  ['the REST API (update-quantity, allow_negative=false)', (s, n) => restSpend(s, n, 'false')],
  ['the REST API (update-quantity, allow_negative=true)', (s, n) => restSpend(s, n, 'true')],
];

describe('spend order: what would be lost first goes first', () => {
  for (const [path, spend] of spendPaths) {
    it(`${path}: pack, then Pro, spend 100 → Pro 900 and the pack untouched; the renewal brings 1,500`, async () => {
      const s = await setup();
      const pro = await packThenPro(s);
      expect(await s.quantity(s.user, 'credits')).toBe(1500);
      await spend(s, 100);
      expect(await sources(s, s.user, 'credits')).toEqual({ Pro: 900, 'Credit pack': 500 });
      // The renewal: Stripe's paid invoice extends what is paid for; the next window replaces the 900.
      s.clock.now = addDuration(pro.startedAt, [1, 'month']);
      await s.db.write((tx) => updatePurchase(tx, pro.id, { paidThrough: addDuration(pro.startedAt, [1, 'month'], 2) }, s.clock.now));
      expect(await s.quantity(s.user, 'credits')).toBe(1500);
      expect(await ledgerSum(s.db, s.user, 'credits')).toBe(1500);
    });

    it(`${path}: a spend larger than the plan's grant takes all of it, then the pack`, async () => {
      const s = await setup();
      await packThenPro(s);
      await spend(s, 1200);
      expect(await sources(s, s.user, 'credits')).toEqual({ 'Credit pack': 300 });
    });
  }

  it("spends the free plan's refill before a pack bought the month before", async () => {
    const s = await setup();
    await grantProduct(s.db, s.user, 'credit_pack', 1, s.clock.now);
    s.clock.now = addDuration(T0, [1, 'month']) + DAY;
    await tryDecreaseQuantity(s.db, credits(s), 30, s.clock.now);
    expect(await sources(s, s.user, 'credits')).toEqual({ Free: 20, 'Credit pack': 500 });
  });

  it('spends a grant that expires before the renewal first, then the plan, then what never expires', async () => {
    const s = await setup();
    await packThenPro(s);
    await applyQuantityUpdate(
      s.db,
      credits(s),
      { delta: 40, expiresAt: s.clock.now + 3 * DAY, allowNegative: false, actor: 'system', description: null },
      s.clock.now,
    );
    await increaseQuantity(s.db, credits(s), 7, s.clock.now);
    await decreaseQuantity(s.db, credits(s), 50, s.clock.now);
    expect(await sources(s, s.user, 'credits')).toEqual({ Pro: 990, 'Credit pack': 500, Added: 7 });
  });

  it('the metered API spends the team plan’s monthly calls before calls that never expire', async () => {
    const s = await setup();
    await increaseQuantity(s.db, { customer: s.team, itemId: METERED_ITEM }, 500, s.clock.now);
    await insertSubscription(s.db, s.team, 'team_plan', { startedAt: s.clock.now, paidThrough: addDuration(s.clock.now, [1, 'month']) });
    const { secret } = await createApiKey(s.db, s.user.id, s.team.id, 'CI', s.clock.now);
    const answer = await meteredCall(
      { db: s.db, now: () => s.clock.now, appUrl: 'http://localhost:3000' },
      { path: '/api/v1/summarize', authorization: `Bearer ${secret}`, idempotencyKey: null, body: JSON.stringify({ text: 'One. Two.' }) },
      { input: summarizeInput, run: summarize },
    );
    expect(answer.status).toBe(200);
    const bySource = await sources(s, s.team, METERED_ITEM);
    expect(bySource.Team).toBe(9_999);
    expect(bySource.Added).toBe(500);
  });
});
