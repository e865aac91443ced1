import { useEffect, useSyncExternalStore } from 'react';
import type { Item } from '../customers/server-customer';
import type { CustomerRef } from '../payments/customer-ref';
import type { ProductListing } from '../payments/products';
import { unwrap, type ActionResult } from './errors';
import { ItemStore } from './item-store';

export type TeamInfo = { id: string; displayName: string; role: 'owner' | 'admin' | 'member' };

/** The server actions the SDK calls: every one authenticates, authorizes and validates. */
export type Transport = {
  getItem(input: { customer: CustomerRef; itemId: string }): Promise<ActionResult<Item>>;
  listItems(input: { customer: CustomerRef }): Promise<ActionResult<Item[]>>;
  listProducts(input: { customer: CustomerRef }): Promise<ActionResult<ProductListing[]>>;
  createCheckoutUrl(input: { customer: CustomerRef; productId: string; quantity?: number; returnUrl?: string }): Promise<ActionResult<string>>;
  listTeams(input: Record<string, never>): Promise<ActionResult<TeamInfo[]>>;
  getTeam(input: { teamId: string }): Promise<ActionResult<TeamInfo | null>>;
};

const keyOf = (customer: CustomerRef, itemId: string) => `${customer.type}:${customer.id}:${itemId}`;

/** Stack Auth's `Customer` in the browser: a user or a team, every method a server action. */
function customerApi(transport: Transport, store: ItemStore, customer: CustomerRef) {
  return {
    id: customer.id,
    async createCheckoutUrl(options: { productId: string; quantity?: number; returnUrl?: string }): Promise<string> {
      return unwrap(await transport.createCheckoutUrl({ customer, ...options }));
    },
    async getItem(itemId: string): Promise<Item> {
      return store.load(keyOf(customer, itemId));
    },
    async listItems(): Promise<Item[]> {
      const items = unwrap(await transport.listItems({ customer }));
      for (const item of items) store.set(keyOf(customer, item.id), item);
      return items;
    },
    async listProducts(): Promise<ProductListing[]> {
      return unwrap(await transport.listProducts({ customer }));
    },
    /** A React hook: the item, kept current; `undefined` until first loaded unless `initial` is given. */
    useItem(itemId: string, initial?: Item): Item | undefined {
      const key = keyOf(customer, itemId);
      if (initial && !store.get(key)) store.set(key, initial);
      const item = useSyncExternalStore(
        (listener) => store.subscribe(key, listener),
        () => store.get(key),
        () => initial,
      );
      useEffect(() => {
        if (!store.get(key)) void store.load(key).catch(() => undefined);
      }, [key]);
      return item;
    },
  };
}

export type Team = ReturnType<typeof customerApi> & { displayName: string; role: TeamInfo['role'] };
export type CurrentUser = ReturnType<typeof customerApi> & {
  displayName: string;
  primaryEmail: string;
  listTeams(): Promise<Team[]>;
  /** The team, or null when the user is not a member (or it does not exist). */
  getTeam(teamId: string): Promise<Team | null>;
};

export type TallyClient = { user: CurrentUser; store: ItemStore; customer(ref: CustomerRef): ReturnType<typeof customerApi> };

export function createTallyClient(transport: Transport, user: { id: string; name: string; email: string }): TallyClient {
  const store = new ItemStore(async (key) => {
    const [type, id, itemId] = key.split(':') as [CustomerRef['type'], string, string];
    return unwrap(await transport.getItem({ customer: { type, id }, itemId }));
  });
  const team = (info: TeamInfo): Team => ({ ...customerApi(transport, store, { type: 'team', id: info.id }), displayName: info.displayName, role: info.role });
  const current: CurrentUser = {
    ...customerApi(transport, store, { type: 'user', id: user.id }),
    displayName: user.name,
    primaryEmail: user.email,
    async listTeams() {
      return unwrap(await transport.listTeams({})).map(team);
    },
    async getTeam(teamId: string) {
      const info = unwrap(await transport.getTeam({ teamId }));
      return info ? team(info) : null;
    },
  };
  return { user: current, store, customer: (ref) => customerApi(transport, store, ref) };
}
