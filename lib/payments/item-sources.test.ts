import { describe, expect, it } from 'vitest';
import { addDuration } from './duration';
import { getQuantity, increaseQuantity } from './items';
import { customerOverview } from './overview';
import { grantProduct } from './products';
import { setup, T0 } from './testing';

describe('item sources', () => {
  it("say what each purchase's grants hold and until when, what was added by hand, and when the plan refills next", async () => {
    const { db, user } = await setup();
    const key = { customer: user, itemId: 'credits' };
    await grantProduct(db, user, 'credit_pack', 1, T0);
    await increaseQuantity(db, key, 7, T0);
    expect(await getQuantity(db, key, T0)).toBe(557);
    const { sources, nextRefill } = (await customerOverview(db, user, T0)).sources.get('credits')!;
    expect(sources).toEqual([
      { label: 'Credit pack', remaining: 500, expiresAt: null },
      { label: 'Free', remaining: 50, expiresAt: addDuration(T0, [1, 'month']) }, // unused plan credits reset at the refill
      { label: 'Added', remaining: 7, expiresAt: null },
    ]);
    expect(nextRefill).toEqual({ at: addDuration(T0, [1, 'month']), quantity: 50, product: 'Free' });
  });
});
