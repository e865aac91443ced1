import type { Db } from '../../db';
import type { CustomerClock } from '../clock';
import { AppError } from '../errors';
import type { Actor } from '../payments/actor';
import { customerExists as customerExistsIn, type CustomerRef } from '../payments/customer-ref';
import * as items from '../payments/items';
import { endGrantedProduct, grantProduct, listProducts } from '../payments/products';
import { dispatchPurchaseChanges } from '../payments/purchase-hooks';
import { itemIdsFor } from '../payments/settlement';

/** What `getItem` returns: a snapshot of the quantity at the time of the call. */
export type Item = ReturnType<typeof items.itemSnapshot>;

export type ServerItem = Item & {
  increaseQuantity(n: number): Promise<void>;
  decreaseQuantity(n: number): Promise<void>;
  /** Takes `n` only if at least `n` are there; resolves to whether it did. */
  tryDecreaseQuantity(n: number): Promise<boolean>;
};

/**
 * The server side of Stack Auth's `Customer`, for a user or a team. Trusts its caller: the
 * browser reaches it only through server actions that authorize first (`./access.ts`), so a
 * customer just authorized (the signed-in user, a team it is a member of) is built directly,
 * without reading again that it exists. `actor` is who the ledger records for its changes.
 */
export function authorizedServerCustomer(db: Db, customerClock: CustomerClock, customer: CustomerRef, actor: Actor = 'system') {
  const clock = () => customerClock(customer);
  const readItem = async (itemId: string): Promise<Item> => {
    const item = items.requireItem(customer, itemId);
    const quantity = await items.getQuantity(db, { customer, itemId: item.id }, clock());
    return items.itemSnapshot(item.id, quantity);
  };

  return {
    id: customer.id,
    type: customer.type,

    async getItem(itemId: string): Promise<ServerItem> {
      const snapshot = await readItem(itemId);
      const key = { customer, itemId: snapshot.id };
      return {
        ...snapshot,
        async increaseQuantity(n) {
          await items.increaseQuantity(db, key, items.parseAmount(n), clock(), actor);
        },
        async decreaseQuantity(n) {
          await items.decreaseQuantity(db, key, items.parseAmount(n), clock(), actor);
        },
        async tryDecreaseQuantity(n) {
          return items.tryDecreaseQuantity(db, key, items.parseAmount(n), clock(), actor);
        },
      };
    },

    async listItems(): Promise<Item[]> {
      const quantities = await items.getQuantities(db, customer, clock());
      return itemIdsFor(customer.type).map((itemId) => items.itemSnapshot(itemId, quantities.get(itemId) ?? 0));
    },

    async listProducts() {
      return listProducts(db, customer, clock());
    },

    async grantProduct({ productId, quantity = 1 }: { productId: string; quantity?: number }) {
      const purchase = await grantProduct(db, customer, productId, items.parseAmount(quantity), clock());
      await dispatchPurchaseChanges(db, Date.now());
      return { purchaseId: purchase.id };
    },

    async endGrantedProduct(productId: string) {
      await endGrantedProduct(db, customer, productId, clock());
      await dispatchPurchaseChanges(db, Date.now());
    },
  };
}

/** Whether a user or team of that id exists; any id names a custom customer (the fork's own). */
export function customerExists(db: Db, customer: CustomerRef): Promise<boolean> {
  return db.read((tx) => customerExistsIn(tx, customer));
}

export function createServerCustomers(db: Db, clock: CustomerClock) {
  return {
    async getServerUser(userId: string) {
      const customer = { type: 'user', id: userId } as const;
      if (!(await customerExists(db, customer))) throw new AppError('not_found', 'User not found.');
      return authorizedServerCustomer(db, clock, customer);
    },
    async getServerTeam(teamId: string) {
      const customer = { type: 'team', id: teamId } as const;
      if (!(await customerExists(db, customer))) throw new AppError('team_not_found', 'Team not found.');
      return authorizedServerCustomer(db, clock, customer);
    },
  };
}
