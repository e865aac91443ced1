import { describe, expect, it } from 'vitest';
import { checkPurchasable, grantProduct, listProducts } from './products';
import { setup } from './testing';
import { errorCode } from '../../test/error-code';

describe('purchase rules', () => {
  it('refuses unknown products and products of the other customer type', async () => {
    const { db, user, team, clock } = await setup();
    expect(await errorCode(() => grantProduct(db, user, 'nope', 1, clock.now))).toBe('product_not_found');
    expect(await errorCode(() => grantProduct(db, user, 'team_plan', 1, clock.now))).toBe('product_not_found');
    expect(await errorCode(() => grantProduct(db, team, 'credit_pack', 1, clock.now))).toBe('product_not_found');
  });

  it('sells non-stackable products once and in quantity 1', async () => {
    const { db, user, clock } = await setup();
    expect(await errorCode(() => grantProduct(db, user, 'pro_monthly', 2, clock.now))).toBe('not_purchasable');
    await grantProduct(db, user, 'pro_monthly', 1, clock.now);
    expect(await errorCode(() => grantProduct(db, user, 'pro_monthly', 1, clock.now))).toBe('already_owned');
    expect(await errorCode(() => grantProduct(db, user, 'credit_pack', 3, clock.now))).toBe('ok');
  });

  it('sells an add-on only to owners of its base product', async () => {
    const { db, team, clock } = await setup();
    expect(await errorCode(() => grantProduct(db, team, 'extra_seats', 1, clock.now))).toBe('requires_base_product');
    await grantProduct(db, team, 'team_plan', 1, clock.now);
    expect(await errorCode(() => grantProduct(db, team, 'extra_seats', 2, clock.now))).toBe('ok');
  });

  it('lets only the server grant a server-only product, and never sells a default one', async () => {
    const { db, user, clock } = await setup();
    expect(await errorCode(() => db.write((tx) => checkPurchasable(tx, user, 'welcome_bonus', 1, { server: false, now: clock.now })))).toBe('forbidden');
    expect(await errorCode(() => db.write((tx) => checkPurchasable(tx, user, 'free', 1, { server: true, now: clock.now })))).toBe('not_purchasable');
    expect(await errorCode(() => grantProduct(db, user, 'welcome_bonus', 1, clock.now))).toBe('ok');
  });

  it('lists the customer type’s products with what is held, hiding server-only ones not held', async () => {
    const { db, user, clock } = await setup();
    const before = await listProducts(db, user, clock.now);
    expect(before.map((p) => p.id)).toEqual(['free', 'pro_monthly', 'pro_yearly', 'credit_pack']);
    expect(before.find((p) => p.id === 'free')?.owned).toHaveLength(1);
    await grantProduct(db, user, 'pro_monthly', 1, clock.now);
    await grantProduct(db, user, 'welcome_bonus', 1, clock.now);
    const after = await listProducts(db, user, clock.now);
    expect(after.find((p) => p.id === 'free')?.owned).toHaveLength(0);
    expect(after.find((p) => p.id === 'pro_monthly')?.owned).toHaveLength(1);
    expect(after.map((p) => p.id)).toContain('welcome_bonus');
  });
});
