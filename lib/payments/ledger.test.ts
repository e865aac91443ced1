import { describe, expect, it } from 'vitest';
import type { Product } from './catalog-schema';
import { addDuration } from './duration';
import { decreaseQuantity, getQuantity, increaseQuantity, tryDecreaseQuantity } from './items';
import { addGrant } from './ledger';
import { grantProduct } from './products';
import { createPurchase, endPurchase, revokePurchase, updatePurchase } from './purchases';
import { settleCustomer } from './settlement';
import { DAY, ledgerSum, setup, T0 } from './testing';

describe('ledger: the worked examples of the spend and debt rules', () => {
  it('spends from the soonest-expiring grant first; the rest of it expires on time', async () => {
    const { db, team, quantity, clock } = await setup();
    const key = { customer: team, itemId: 'api_calls' };
    clock.now = 0;
    await db.write(function* (tx) {
      yield* settleCustomer(tx, team, 0);
      yield* addGrant(tx, key, { quantity: 10, expiresAt: 5000, reason: 'manual' }, 0);
      yield* addGrant(tx, key, { quantity: 20, expiresAt: 3000, reason: 'manual' }, 0);
    });
    await decreaseQuantity(db, key, 8, 1000);
    expect(await getQuantity(db, key, 2999)).toBe(22);
    expect(await getQuantity(db, key, 3000)).toBe(10);
    expect(await getQuantity(db, key, 5000)).toBe(0);
    clock.now = 5000;
    expect(await quantity(team, 'api_calls')).toBe(await ledgerSum(db, team, 'api_calls'));
  });

  it('turns an overdraw into debt that the next grant pays off first', async () => {
    const { db, team } = await setup();
    const key = { customer: team, itemId: 'api_calls' };
    await increaseQuantity(db, key, 10, T0);
    await decreaseQuantity(db, key, 25, T0);
    expect(await getQuantity(db, key, T0)).toBe(-15);
    await increaseQuantity(db, key, 20, T0);
    expect(await getQuantity(db, key, T0)).toBe(5);
    expect(await ledgerSum(db, team, 'api_calls')).toBe(5);
  });
});

describe('ledger: products, windows and expiry', () => {
  it('gives every user the free plan: 50 credits a month, unspent ones reset', async () => {
    const { db, user, clock, quantity } = await setup();
    expect(await quantity(user, 'credits')).toBe(50);
    await decreaseQuantity(db, { customer: user, itemId: 'credits' }, 20, clock.now);
    expect(await quantity(user, 'credits')).toBe(30);
    clock.now = addDuration(T0, [1, 'month']) - 1;
    expect(await quantity(user, 'credits')).toBe(30);
    clock.now += 1;
    expect(await quantity(user, 'credits')).toBe(50);
    clock.now = addDuration(T0, [1, 'month'], 5) + DAY;
    expect(await quantity(user, 'credits')).toBe(50);
    expect(await ledgerSum(db, user, 'credits')).toBe(50);
  });

  it('stacks one-time packs, which survive monthly resets', async () => {
    const { db, user, clock, quantity } = await setup();
    await grantProduct(db, user, 'credit_pack', 2, clock.now);
    expect(await quantity(user, 'credits')).toBe(50 + 1000);
    await grantProduct(db, user, 'credit_pack', 1, clock.now);
    expect(await quantity(user, 'credits')).toBe(50 + 1500);
    // Spending takes the free credits (expiring soonest) before the packs (never expiring).
    await decreaseQuantity(db, { customer: user, itemId: 'credits' }, 60, clock.now);
    clock.now = addDuration(T0, [1, 'month']);
    expect(await quantity(user, 'credits')).toBe(50 + 1490);
    clock.now = addDuration(T0, [1, 'year']);
    expect(await quantity(user, 'credits')).toBe(50 + 1490);
  });

  it('switches plans within a product line and falls back to the free plan when the paid one ends', async () => {
    const { db, user, clock, quantity } = await setup();
    expect(await quantity(user, 'credits')).toBe(50);
    clock.now += 3 * DAY;
    const pro = await grantProduct(db, user, 'pro_monthly', 1, clock.now);
    expect(await quantity(user, 'credits')).toBe(1000); // the free plan's 50 ended with it
    clock.now = addDuration(pro.startedAt, [1, 'month']);
    await decreaseQuantity(db, { customer: user, itemId: 'credits' }, 100, clock.now);
    expect(await quantity(user, 'credits')).toBe(900);
    clock.now += DAY;
    await db.write((tx) => endPurchase(tx, pro.id, clock.now, clock.now, 'canceled'));
    expect(await quantity(user, 'credits')).toBe(50);
    clock.now = addDuration(clock.now, [1, 'month']);
    expect(await quantity(user, 'credits')).toBe(50);
    expect(await ledgerSum(db, user, 'credits')).toBe(50);
  });

  it('refills monthly on a yearly plan, only as far as it is paid, from the snapshot bought', async () => {
    const { db, team, clock, quantity } = await setup();
    const yearly: Product = {
      displayName: 'Yearly',
      description: '',
      customerType: 'team',
      price: { amount: 50000, currency: 'usd', interval: [1, 'year'] },
      includedItems: {
        api_calls: { quantity: 100, repeat: [1, 'month'], expires: 'never' },
        seats: { quantity: 3, repeat: 'never', expires: 'when-purchase-expires' },
      },
      stackable: false,
      serverOnly: false,
    };
    const paidThrough = addDuration(T0, [1, 'year']);
    const p = await db.write((tx) =>
      createPurchase(
        tx,
        { customer: team, productId: 'yearly', product: yearly, quantity: 1, source: 'stripe', status: 'active', startedAt: T0, paidThrough },
        T0,
      ),
    );
    expect(await quantity(team, 'api_calls')).toBe(100);
    clock.now = addDuration(T0, [1, 'month'], 11);
    expect(await quantity(team, 'api_calls')).toBe(1200);
    clock.now = addDuration(T0, [1, 'month'], 14);
    expect(await quantity(team, 'api_calls')).toBe(1200); // the second year is not paid yet
    await db.write((tx) => updatePurchase(tx, p.id, { paidThrough: addDuration(T0, [1, 'year'], 2) }, clock.now));
    expect(await quantity(team, 'api_calls')).toBe(1500);
    expect(await quantity(team, 'seats')).toBe(3 + 3); // the team line's free 3 (this product has no line) and its own 3
    await db.write((tx) => endPurchase(tx, p.id, clock.now, clock.now));
    expect(await quantity(team, 'seats')).toBe(3);
    expect(await quantity(team, 'api_calls')).toBe(1500);
  });

  it('applies windows paid late at their own times: they never pay for what was spent after they ended', async () => {
    const { db, team, clock, quantity } = await setup();
    const key = { customer: team, itemId: 'api_calls' };
    const monthly: Product = {
      displayName: 'Monthly 40',
      description: '',
      customerType: 'team',
      price: { amount: 500, currency: 'usd', interval: [1, 'month'] },
      includedItems: { api_calls: { quantity: 40, repeat: [1, 'month'], expires: 'when-repeated' } },
      stackable: false,
      serverOnly: false,
    };
    const month = (k: number) => addDuration(T0, [1, 'month'], k);
    // Unpaid for months 1–3 (past due), an overdraw of 100 in month 3, then everything paid in month 4.
    const p = await db.write((tx) =>
      createPurchase(
        tx,
        { customer: team, productId: 'monthly', product: monthly, quantity: 1, source: 'stripe', status: 'past_due', startedAt: T0, paidThrough: T0 },
        T0,
      ),
    );
    clock.now = month(2) + DAY;
    await decreaseQuantity(db, key, 100, clock.now);
    expect(await quantity(team, 'api_calls')).toBe(-100);
    clock.now = month(3) + DAY;
    await db.write((tx) => updatePurchase(tx, p.id, { paidThrough: month(3), status: 'active' }, clock.now));
    // Months 1 and 2 ended before the overdraw: only month 3's 40 pays for it.
    expect(await quantity(team, 'api_calls')).toBe(-60);
    expect(await ledgerSum(db, team, 'api_calls')).toBe(-60);
    // Month 4, paid: the next window pays off the rest of the debt first.
    await db.write((tx) => updatePurchase(tx, p.id, { paidThrough: month(4) }, clock.now));
    expect(await quantity(team, 'api_calls')).toBe(-20);
  });

  it('multiplies a stackable purchase by its quantity', async () => {
    const { db, team, clock, quantity } = await setup();
    await grantProduct(db, team, 'team_plan', 1, clock.now);
    await grantProduct(db, team, 'extra_seats', 3, clock.now);
    expect(await quantity(team, 'seats')).toBe(5 + 3);
    expect(await quantity(team, 'api_calls')).toBe(10_000);
  });

  it('takes back a refunded purchase even after it was spent, going negative', async () => {
    const { db, user, clock, quantity } = await setup();
    const pack = await grantProduct(db, user, 'credit_pack', 1, clock.now);
    await decreaseQuantity(db, { customer: user, itemId: 'credits' }, 400, clock.now);
    expect(await quantity(user, 'credits')).toBe(150);
    await db.write((tx) => revokePurchase(tx, pack.id, clock.now));
    expect(await quantity(user, 'credits')).toBe(-350);
    await db.write((tx) => revokePurchase(tx, pack.id, clock.now)); // a second refund event changes nothing
    expect(await quantity(user, 'credits')).toBe(-350);
    // The next month's free credits pay the debt off first.
    clock.now = addDuration(T0, [1, 'month']);
    expect(await quantity(user, 'credits')).toBe(-300);
    expect(await ledgerSum(db, user, 'credits')).toBe(-300);
  });
});

describe('tryDecreaseQuantity', () => {
  it('takes only what is there and changes nothing otherwise', async () => {
    const { db, user, clock, quantity } = await setup();
    const key = { customer: user, itemId: 'credits' };
    expect(await tryDecreaseQuantity(db, key, 51, clock.now)).toBe(false);
    expect(await quantity(user, 'credits')).toBe(50);
    expect(await tryDecreaseQuantity(db, key, 50, clock.now)).toBe(true);
    expect(await tryDecreaseQuantity(db, key, 1, clock.now)).toBe(false);
    expect(await quantity(user, 'credits')).toBe(0);
    expect(await ledgerSum(db, user, 'credits')).toBe(0);
  });

  it('sees an expiry that happened since the last write', async () => {
    const { db, user, clock } = await setup();
    const key = { customer: user, itemId: 'credits' };
    expect(await tryDecreaseQuantity(db, key, 10, clock.now)).toBe(true);
    clock.now = addDuration(T0, [1, 'month']);
    expect(await tryDecreaseQuantity(db, key, 50, clock.now)).toBe(true);
  });
});
