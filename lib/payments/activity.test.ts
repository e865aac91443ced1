import { describe, expect, it } from 'vitest';
import { ACTIVITY_PAGE_SIZE, listActivity } from './activity';
import { increaseQuantity } from './items';
import { setup } from './testing';

describe('activity', () => {
  it('lists the ledger newest first, a page at a time, only for that customer', async () => {
    const { db, team, user, clock } = await setup();
    const key = { customer: team, itemId: 'api_calls' };
    for (let i = 1; i <= ACTIVITY_PAGE_SIZE + 5; i++) await increaseQuantity(db, key, i, clock.now);
    await increaseQuantity(db, { customer: user, itemId: 'credits' }, 1, clock.now);

    const first = await listActivity(db, team);
    expect(first.total).toBe(ACTIVITY_PAGE_SIZE + 5 + 1); // and the team line's free seats, first of all
    expect(first.entries).toHaveLength(ACTIVITY_PAGE_SIZE);
    expect(first.entries[0]).toMatchObject({ delta: ACTIVITY_PAGE_SIZE + 5, reason: 'manual', itemId: 'api_calls' });
    const second = await listActivity(db, team, first.nextBefore!);
    expect(second.entries.map((e) => [e.itemId, e.delta])).toEqual([...[5, 4, 3, 2, 1].map((d) => ['api_calls', d]), ['seats', 3]]);
    expect(second.nextBefore).toBeNull();
    expect(second.entries.at(-2)?.balanceAfter).toBe(1);
  });
});
