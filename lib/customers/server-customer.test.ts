import { describe, expect, it } from 'vitest';
import { insertSubscription, setup } from '../payments/testing';
import { createServerCustomers } from './server-customer';

async function customers() {
  const ctx = await setup();
  return { ...ctx, api: createServerCustomers(ctx.db, () => ctx.clock.now) };
}

describe('server Customer API', () => {
  it('reads items with quantity and nonNegativeQuantity, from the free default products too', async () => {
    const { api, user, team } = await customers();
    const me = await api.getServerUser(user.id);
    expect(await me.getItem('credits')).toMatchObject({ id: 'credits', displayName: 'Credits', quantity: 50, nonNegativeQuantity: 50 });
    const acme = await api.getServerTeam(team.id);
    expect(await acme.getItem('seats')).toMatchObject({ quantity: 3, nonNegativeQuantity: 3 }); // the team line's free product
    expect((await acme.listItems()).map((i) => i.id)).toEqual(['seats', 'api_calls']);
  });

  it('changes quantities through the item, overdrawing only with decreaseQuantity', async () => {
    const { api, user } = await customers();
    const me = await api.getServerUser(user.id);
    const credits = await me.getItem('credits');
    await credits.increaseQuantity(10);
    expect(await credits.tryDecreaseQuantity(61)).toBe(false);
    expect(await credits.tryDecreaseQuantity(60)).toBe(true);
    await credits.decreaseQuantity(5);
    expect(await me.getItem('credits')).toMatchObject({ quantity: -5, nonNegativeQuantity: 0 });
  });

  it('rejects amounts that are not positive safe integers and changes nothing', async () => {
    const { api, user } = await customers();
    const credits = await (await api.getServerUser(user.id)).getItem('credits');
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '3', null]) {
      await expect(credits.tryDecreaseQuantity(bad as number)).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(credits.increaseQuantity(bad as number)).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(credits.decreaseQuantity(bad as number)).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect((await (await api.getServerUser(user.id)).getItem('credits')).quantity).toBe(50);
    // a BigInt (which JSON cannot even render) and NaN read as themselves
    await expect(credits.increaseQuantity(10n as unknown as number)).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Quantity must be a positive whole number, got 10n.',
    });
    await expect(credits.increaseQuantity(Number.NaN)).rejects.toMatchObject({ message: 'Quantity must be a positive whole number, got NaN.' });
    await expect(credits.decreaseQuantity(Number.NEGATIVE_INFINITY)).rejects.toMatchObject({
      message: 'Quantity must be a positive whole number, got -Infinity.',
    });
  });

  it('refuses a change that would leave the safe integer range, and changes nothing', async () => {
    const { api, user } = await customers();
    const credits = await (await api.getServerUser(user.id)).getItem('credits');
    await credits.increaseQuantity(Number.MAX_SAFE_INTEGER - 100); // 50 + that is still safe
    await expect(credits.increaseQuantity(51)).rejects.toMatchObject({
      code: 'quantity_out_of_range',
      message: expect.stringContaining('nothing was changed'),
    });
    expect((await (await api.getServerUser(user.id)).getItem('credits')).quantity).toBe(Number.MAX_SAFE_INTEGER - 50);
    await credits.increaseQuantity(50);
    expect((await (await api.getServerUser(user.id)).getItem('credits')).quantity).toBe(Number.MAX_SAFE_INTEGER);

    const other = await (await api.getServerUser(user.id)).getItem('credits');
    await other.decreaseQuantity(Number.MAX_SAFE_INTEGER); // down to 0
    await other.decreaseQuantity(Number.MAX_SAFE_INTEGER); // the most debt there can be
    await expect(other.decreaseQuantity(1)).rejects.toMatchObject({ code: 'quantity_out_of_range' });
    expect((await (await api.getServerUser(user.id)).getItem('credits')).quantity).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it('reports unknown items, items of the other type and unknown customers clearly', async () => {
    const { api, user, team } = await customers();
    const me = await api.getServerUser(user.id);
    await expect(me.getItem('gems')).rejects.toMatchObject({ code: 'item_not_found', message: 'There is no item "gems" for users.' });
    await expect(me.getItem('seats')).rejects.toMatchObject({ code: 'item_not_found' });
    await expect((await api.getServerTeam(team.id)).getItem('credits')).rejects.toMatchObject({ code: 'item_not_found' });
    await expect(api.getServerTeam('no-such-team')).rejects.toMatchObject({ code: 'team_not_found' });
    await expect(api.getServerUser('no-such-user')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('grants and cancels products on the server', async () => {
    const { api, team } = await customers();
    const acme = await api.getServerTeam(team.id);
    await acme.grantProduct({ productId: 'team_plan' });
    await acme.grantProduct({ productId: 'extra_seats', quantity: 2 });
    expect((await acme.getItem('seats')).quantity).toBe(7);
    await acme.endGrantedProduct('extra_seats');
    expect((await acme.getItem('seats')).quantity).toBe(5);
    await expect(acme.endGrantedProduct('extra_seats')).rejects.toMatchObject({ code: 'not_found' });
    expect((await acme.listProducts()).find((p) => p.id === 'team_plan')?.owned).toHaveLength(1);
  });

  it('refuses to end a Stripe subscription locally, which would keep billing it', async () => {
    const { api, user, db, clock } = await customers();
    await insertSubscription(db, user, 'pro_monthly', { startedAt: clock.now, paidThrough: clock.now + 1000 });
    const me = await api.getServerUser(user.id);
    await expect(me.endGrantedProduct('pro_monthly')).rejects.toMatchObject({ code: 'product_billed_through_stripe' });
    expect((await me.listProducts()).find((p) => p.id === 'pro_monthly')?.owned).toHaveLength(1);
  });
});
