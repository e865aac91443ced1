import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { user as userTable } from '../../db/schema';
import { run } from '../../db/work';
import { ACTIVITY_PAGE_SIZE, activityCsv, collapseUsage, listActivity } from './activity';
import { userActor } from './actor';
import { increaseQuantity, tryDecreaseQuantity } from './items';
import { setup } from './testing';

async function readCsv(chunks: AsyncIterable<string>) {
  let csv = '';
  for await (const chunk of chunks) csv += chunk;
  return csv;
}

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
    const second = await listActivity(db, team, { before: first.nextBefore! });
    expect(second.entries.map((e) => [e.itemId, e.delta])).toEqual([...[5, 4, 3, 2, 1].map((d) => ['api_calls', d]), ['seats', 3]]);
    expect(second.nextBefore).toBeNull();
    expect(second.entries.at(-2)?.balanceAfter).toBe(1);
  });

  it('lists one item only when asked, with its own count', async () => {
    const { db, team, clock } = await setup();
    await increaseQuantity(db, { customer: team, itemId: 'api_calls' }, 7, clock.now);
    const seats = await listActivity(db, team, { itemId: 'seats' });
    expect(seats.entries.map((e) => [e.itemId, e.delta])).toEqual([['seats', 3]]);
    expect(seats.total).toBe(1);
  });

  it('collapses consecutive identical usage into one run, and nothing else', async () => {
    const { db, user, clock } = await setup();
    const credits = { customer: user, itemId: 'credits' };
    const alice = userActor(user.id);
    await increaseQuantity(db, credits, 100, clock.now);
    for (let i = 0; i < 3; i++) await tryDecreaseQuantity(db, credits, 10, clock.now, alice);
    await tryDecreaseQuantity(db, credits, 5, clock.now, alice); // another amount
    await tryDecreaseQuantity(db, credits, 10, clock.now, 'system'); // another spender
    await tryDecreaseQuantity(db, credits, 10, clock.now, 'system');

    const runs = collapseUsage((await listActivity(db, user)).entries);
    expect(runs.map((run) => [run.entries[0]!.reason, run.entries[0]!.delta, run.entries.length])).toEqual([
      ['consumption', -10, 2],
      ['consumption', -5, 1],
      ['consumption', -10, 3],
      ['manual', 100, 1],
      ['renewal', 50, 1], // the free plan's first window, first of all
    ]);
  });

  it('exports the ledger as CSV, every page, with formulas made inert', async () => {
    const { db, user, clock } = await setup();
    const credits = { customer: user, itemId: 'credits' };
    for (let i = 0; i < 1001; i++) await increaseQuantity(db, credits, 1, clock.now);
    const lines = (await readCsv(activityCsv(db, user, 'credits'))).trimEnd().split('\n');
    expect(lines[0]).toBe('time_utc,item,reason,product,description,by,change,balance');
    expect(lines).toHaveLength(1 + 1001 + 1);
    expect(lines[1]).toBe(`${new Date(clock.now).toISOString()},credits,manual,,,Tally,1,1051`);
    expect(lines.at(-1)).toMatch(/,credits,renewal,Free,,Tally,50,50$/);

    await db.write((tx) => run(tx.update(userTable).set({ name: 'x;=HYPERLINK("http://evil.example")' }).where(eq(userTable.id, user.id))));
    await tryDecreaseQuantity(db, credits, 1, clock.now, userActor(user.id));
    const newest = (await readCsv(activityCsv(db, user))).split('\n')[1];
    expect(newest).toContain(`,"x;=HYPERLINK(""http://evil.example"")",-1,`); // one cell, wherever cells split on ';'
    await db.write((tx) => run(tx.update(userTable).set({ name: '@SUM(A1)' }).where(eq(userTable.id, user.id))));
    expect((await readCsv(activityCsv(db, user))).split('\n')[1]).toContain(`,'@SUM(A1),-1,`);
  });
});
