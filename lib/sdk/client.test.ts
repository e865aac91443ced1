import { describe, expect, it, vi } from 'vitest';
import type { Item } from '../customers/server-customer';
import { createTallyClient, type Transport } from './client';
import { TallyError } from './errors';
import { ItemStore } from './item-store';

const user = { id: 'u1', name: 'Alice', email: 'alice@example.com' };
const credits = (quantity: number): Item => ({ id: 'credits', displayName: 'Credits', quantity, nonNegativeQuantity: Math.max(0, quantity) });

function fakeTransport(overrides: Partial<Transport> = {}): Transport {
  const fail = async () => ({ ok: false as const, error: { code: 'internal', message: 'not stubbed' } });
  return { getItem: fail, listItems: fail, listProducts: fail, createCheckoutUrl: fail, listTeams: fail, getTeam: fail, ...overrides };
}

describe('SDK errors', () => {
  it('turns failed results into TallyErrors named after their code', async () => {
    const { user: me } = createTallyClient(
      fakeTransport({
        createCheckoutUrl: async () => ({ ok: false, error: { code: 'product_not_found', message: 'There is no product "x" for users.' } }),
        getItem: async () => ({ ok: false, error: { code: 'item_not_found', message: 'There is no item "gems" for users.' } }),
      }),
      user,
    );
    const checkout = me.createCheckoutUrl({ productId: 'x' });
    await expect(checkout).rejects.toBeInstanceOf(TallyError);
    await expect(checkout).rejects.toMatchObject({ name: 'ProductNotFound', code: 'product_not_found', message: 'There is no product "x" for users.' });
    await expect(me.getItem('gems')).rejects.toMatchObject({ name: 'ItemNotFound' });
    expect(new TallyError({ code: 'already_owned', message: '' }).name).toBe('AlreadyOwned');
    expect(new TallyError({ code: 'forbidden', message: '' }).name).toBe('Forbidden');
  });

  it('resolves getTeam of a team the user is not in to null, and passes the right customer', async () => {
    const getItem = vi.fn(async () => ({ ok: true as const, data: credits(7) }));
    const client = createTallyClient(
      fakeTransport({
        getTeam: async ({ teamId }) => ({ ok: true, data: teamId === 't1' ? { id: 't1', displayName: 'Acme', role: 'member' } : null }),
        getItem,
      }),
      user,
    );
    expect(await client.user.getTeam('t2')).toBeNull();
    const team = await client.user.getTeam('t1');
    expect(team).toMatchObject({ id: 't1', displayName: 'Acme', role: 'member' });
    await team!.getItem('api_calls');
    expect(getItem).toHaveBeenCalledWith({ customer: { type: 'team', id: 't1' }, itemId: 'api_calls' });
  });
});

describe('ItemStore (what useItem watches)', () => {
  it('refetches watched items on invalidate and notifies only when the quantity changed', async () => {
    let quantity = 50;
    const fetchItem = vi.fn(async () => credits(quantity));
    const store = new ItemStore(fetchItem);
    const listener = vi.fn();
    const unsubscribe = store.subscribe('user:u1:credits', listener);
    await store.load('user:u1:credits');
    expect(store.get('user:u1:credits')?.quantity).toBe(50);
    expect(listener).toHaveBeenCalledTimes(1);

    await store.invalidate();
    expect(listener).toHaveBeenCalledTimes(1); // same quantity: no re-render
    quantity = 40; // e.g. after a spend
    await store.invalidate();
    expect(store.get('user:u1:credits')?.quantity).toBe(40);
    expect(listener).toHaveBeenCalledTimes(2);

    unsubscribe();
    quantity = 30;
    await store.invalidate();
    expect(fetchItem).toHaveBeenCalledTimes(3); // nothing watched any more: no request
  });

  it('shares one request among concurrent loads', async () => {
    const fetchItem = vi.fn(async () => credits(1));
    const store = new ItemStore(fetchItem);
    await Promise.all([store.load('k'), store.load('k'), store.load('k')]);
    expect(fetchItem).toHaveBeenCalledTimes(1);
  });
});
