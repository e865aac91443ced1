import type { Item } from '../customers/server-customer';

type Listener = () => void;

/**
 * The browser's cache of item quantities, one entry per customer and item, with subscribers.
 * `useItem` reads from it; anything that may change quantities (a spend, a finished checkout, the
 * tab coming back into view) calls `invalidate`, which refetches what is being watched.
 */
export class ItemStore {
  private readonly items = new Map<string, Item>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly loading = new Map<string, Promise<Item>>();

  constructor(private readonly fetchItem: (key: string) => Promise<Item>) {}

  get(key: string): Item | undefined {
    return this.items.get(key);
  }

  set(key: string, item: Item) {
    const previous = this.items.get(key);
    this.items.set(key, item);
    if (previous?.quantity !== item.quantity || previous.displayName !== item.displayName) this.listeners.get(key)?.forEach((listener) => listener());
  }

  subscribe(key: string, listener: Listener): () => void {
    const set = this.listeners.get(key) ?? new Set();
    set.add(listener);
    this.listeners.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Fetches the item, sharing one request among concurrent callers. */
  load(key: string): Promise<Item> {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const request = this.fetchItem(key)
      .then((item) => {
        this.set(key, item);
        return item;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, request);
    return request;
  }

  /** Refetches every watched item (or one), so each watcher re-renders if its quantity changed. */
  async invalidate(key?: string): Promise<void> {
    const keys = key ? [key] : [...this.listeners.keys()];
    await Promise.all(keys.map((k) => this.load(k).catch(() => undefined)));
  }
}
