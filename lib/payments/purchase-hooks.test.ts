import { describe, expect, it } from 'vitest';
import { activityNote } from '../../db/schema';
import { all } from '../../db/work';
import { addDuration } from './duration';
import { grantProduct } from './products';
import { dispatchPurchaseChanges, dispatchPurchaseChangesSoon, onPurchaseChanged, type PurchaseHook } from './purchase-hooks';
import { endPurchase, revokePurchase, updatePurchase } from './purchases';
import { insertSubscription, ledgerSum, setup, T0 } from './testing';

const MONTH = (n: number) => addDuration(T0, [1, 'month'], n);

describe('onPurchaseChanged', () => {
  it('runs once per start, renewal, end and refund, after the commit; a second dispatch runs nothing', async () => {
    const { db, user } = await setup();
    const seen: string[] = [];
    const hook: PurchaseHook = async (change) => void seen.push(`${change.productId} ${change.change}`);

    const pro = await insertSubscription(db, user, 'pro_monthly', { startedAt: T0, paidThrough: MONTH(1) });
    await db.write((tx) => updatePurchase(tx, pro.id, { paidThrough: MONTH(2) }, MONTH(1)));
    await db.write((tx) => updatePurchase(tx, pro.id, { paidThrough: MONTH(2) }, MONTH(1))); // the same invoice again: no renewal
    await db.write((tx) => endPurchase(tx, pro.id, MONTH(2), MONTH(2)));
    const pack = await grantProduct(db, user, 'credit_pack', 1, MONTH(2));
    await db.write((tx) => revokePurchase(tx, pack.id, MONTH(2)));

    await dispatchPurchaseChanges(db, MONTH(2), [hook]);
    expect(seen).toEqual(['pro_monthly started', 'pro_monthly renewed', 'pro_monthly ended', 'credit_pack started', 'credit_pack refunded']);
    await dispatchPurchaseChanges(db, MONTH(2) + 1, [hook]);
    expect(seen).toHaveLength(5);
  });

  it('a throwing hook undoes and repeats nothing: the grant stays, and the change is retried later until it succeeds', async () => {
    const { db, user, quantity, clock } = await setup();
    let failures = 1;
    const calls: string[] = [];
    const flaky: PurchaseHook = async (change) => {
      calls.push(change.id);
      if (failures-- > 0) throw new Error('the mail server is down');
    };
    await grantProduct(db, user, 'credit_pack', 1, T0);
    const credits = await quantity(user, 'credits');

    await dispatchPurchaseChanges(db, T0, [flaky]);
    expect(calls).toHaveLength(1);
    await dispatchPurchaseChanges(db, T0 + 500, [flaky]); // before its retry is due
    expect(calls).toHaveLength(1);
    await dispatchPurchaseChanges(db, T0 + 1001, [flaky]); // a second later
    expect(calls).toEqual([calls[0], calls[0]]); // the same change, with the same id
    await dispatchPurchaseChanges(db, T0 + 60_000, [flaky]);
    expect(calls).toHaveLength(2); // handled: never again

    clock.now = T0 + 60_000;
    expect(await quantity(user, 'credits')).toBe(credits); // granted once, whatever the hook did
    expect(await ledgerSum(db, user, 'credits')).toBe(credits);
  });

  it('the demo’s hook writes one billing event per change on the activity page, even when run twice', async () => {
    const { db, user } = await setup();
    await grantProduct(db, user, 'credit_pack', 1, T0);
    await dispatchPurchaseChanges(db, T0);
    const [change] = await db.read((tx) => all(tx.select().from(activityNote)));
    await onPurchaseChanged[0]!(
      { id: change!.id, purchaseId: '', customer: user, productId: 'credit_pack', change: 'started', at: T0 },
      db,
      new AbortController().signal,
    );
    expect((await db.read((tx) => all(tx.select().from(activityNote)))).map((n) => n.text)).toEqual(['Bought Credit pack']);
  });
  it('a dispatch asked for while one runs becomes one more pass of it, which sees what was committed before it was asked for', async () => {
    const { db, user } = await setup();
    const now = Date.now();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    onPurchaseChanged.push(() => held); // the first dispatch is still running when the second is asked for
    try {
      await grantProduct(db, user, 'credit_pack', 1, now);
      const first = dispatchPurchaseChangesSoon(db);
      await grantProduct(db, user, 'credit_pack', 1, now);
      const second = dispatchPurchaseChangesSoon(db);
      expect(second).toBe(first);
      release();
      await second;
    } finally {
      onPurchaseChanged.pop();
    }
    expect((await db.read((tx) => all(tx.select().from(activityNote)))).map((n) => n.text)).toEqual(['Bought Credit pack', 'Bought Credit pack']);
  });
});
