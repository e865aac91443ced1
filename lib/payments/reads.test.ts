import { describe, expect, it, vi } from 'vitest';
import { addDuration } from './duration';
import { customerOverview } from './overview';
import { getQuantities, getQuantity, increaseQuantity } from './items';
import { listProducts } from './products';
import { setup, T0 } from './testing';

/** The dashboard's reads, on both dialects: a GET opens a write transaction only when something is due. */
describe('reads', () => {
  it('write nothing when nothing is due: quantities, products and sources', async () => {
    const { db, team } = await setup();
    await increaseQuantity(db, { customer: team, itemId: 'api_calls' }, 5, T0);
    await getQuantities(db, team, T0); // settles the team once: its default plan, every balance row
    const write = vi.spyOn(db, 'write');
    const quantities = await getQuantities(db, team, T0 + 1000);
    const products = await listProducts(db, team, T0 + 1000);
    const { sources } = await customerOverview(db, team, T0 + 1000);
    expect(write).not.toHaveBeenCalled();
    expect(quantities.get('api_calls')).toBe(await getQuantity(db, { customer: team, itemId: 'api_calls' }, T0 + 1000));
    expect(products.some((p) => p.owned.length > 0)).toBe(true);
    expect(sources.get('api_calls')!.sources.some((s) => s.label === 'Added' && s.remaining === 5)).toBe(true);
  });

  it('settle first when something is due: a new customer, or a refill whose time has come', async () => {
    const { db, user } = await setup();
    const write = vi.spyOn(db, 'write');
    expect((await getQuantities(db, user, T0)).get('credits')).toBe(50); // the Free plan's first grant
    expect(write).toHaveBeenCalledTimes(1);
    const nextMonth = addDuration(T0, [1, 'month']);
    expect((await listProducts(db, user, nextMonth)).find((p) => p.id === 'free')?.owned).toHaveLength(1);
    expect(write).toHaveBeenCalledTimes(2);
    expect((await getQuantities(db, user, nextMonth)).get('credits')).toBe(50); // refilled, not 100: unused credits reset
    expect(write).toHaveBeenCalledTimes(2);
  });
});
