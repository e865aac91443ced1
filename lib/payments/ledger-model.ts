import { catalog as demoCatalog } from './catalog';
import type { Catalog, CustomerType, IncludedItem, Product } from './catalog-schema';
import { addDuration } from './duration';

/**
 * The ledger's rules as a small in-memory model: the specification that ledger-model.test.ts
 * checks the real code (ledger.ts, settlement.ts, purchases.ts, on SQLite and PostgreSQL) against,
 * one random operation sequence at a time. Written from the rules (docs/decisions.md and the
 * doc comments), not from the SQL: plain arrays, no indexes, no database, no Next.js.
 *
 * One customer, its items and purchases, and the time `now`. Every operation first applies what
 * is due up to `now`, then changes things, then applies what became due.
 *
 * 1. Quantity = Σ remaining of the grants − debt. A grant holds `quantity`, `remaining` and maybe
 *    an expiry; when it expires what remains of it is dropped.
 * 2. Spending draws first from what would be lost first: a grant's use-by is the earlier of its
 *    expiry and, for a window that resets (`when-repeated`), the start of its purchase's next
 *    window (whether or not that window is paid for yet); grants never lost come last; ties go to
 *    the older grant. What the grants do not cover becomes debt, dated now.
 * 3. A new grant first pays off debt, oldest first. A window applied after the next window of its
 *    purchase had also started (it was paid late) pays only debt that arose before that next start.
 * 4. `tryDecrease n` takes n only when the quantity is at least n: never debt.
 * 5. A purchase grants each included item once per window: window k starts at
 *    `startedAt + k × repeat` (only window 0 for `repeat: 'never'`; after a free trial, window 0
 *    is the trial and window k ≥ 1 starts at `trialEndsAt + (k − 1) × repeat`), and it is due
 *    once it has started, if it starts before `paidThrough` and before the purchase ended (a
 *    refunded purchase grants nothing more). Windows and expiries apply in time order, an expiry first at the same
 *    instant. A `when-repeated` window's grant lasts until the next window takes its turn (which
 *    drops what is left of it) or the purchase ends; `when-purchase-expires` lasts while the
 *    purchase does; `never` forever.
 * 6. Buying a product of a product line ends the live purchase of that line (a plan switch). A
 *    line without a live purchase gets its free default product, starting when the last one ended.
 * 7. A refund takes a grant back in full unless it has expired: what remains is dropped and what
 *    had been spent of it (or paid debt with it) is drawn again from the other grants in spend
 *    order, the uncovered part becoming debt. Refunding a purchase ends it and takes back all its
 *    grants; refunding an invoice period takes back the windows starting in it, and a window of it
 *    not granted yet still takes its turn (it resets the previous one) but grants nothing.
 */

export type ModelPurchase = {
  /** Creation order; the test maps it to the real purchase's id. */
  seq: number;
  productId: string;
  product: Product;
  quantity: number;
  source: 'stripe' | 'grant' | 'default';
  startedAt: number;
  trialEndsAt: number | null;
  paidThrough: number | null;
  endedAt: number | null;
  refunded: boolean;
  /** Per item: how many windows have taken their turn. */
  turns: Map<string, number>;
  /** `item:window` refunded before it was granted: it will grant nothing. */
  held: Set<string>;
};

type Grant = {
  seq: number;
  itemId: string;
  purchase: ModelPurchase | null;
  window: number | null;
  quantity: number;
  remaining: number;
  expiresAt: number | null;
  /** A `when-repeated` window: when the next window of its purchase starts. */
  resetsAt: number | null;
  revoked: boolean;
};

type Debt = { seq: number; itemId: string; remaining: number; arose: number };

type Window = { purchase: ModelPurchase; itemId: string; included: IncludedItem; index: number; start: number };

const NEVER = Number.POSITIVE_INFINITY;

export function windowStart(p: { startedAt: number; trialEndsAt: number | null }, included: IncludedItem, index: number): number {
  if (index === 0 || included.repeat === 'never') return p.startedAt;
  return p.trialEndsAt === null ? addDuration(p.startedAt, included.repeat, index) : addDuration(p.trialEndsAt, included.repeat, index - 1);
}

/** Windows start strictly before this. */
function bound(p: ModelPurchase): number {
  return p.refunded ? -NEVER : Math.min(p.paidThrough ?? NEVER, p.endedAt ?? NEVER);
}

/** When what is left of a grant would be lost: the key of the spend order (rule 2). */
function lostAt(g: Grant): number {
  return Math.min(g.expiresAt ?? NEVER, g.resetsAt ?? NEVER);
}

/** The spend order: soonest use-by first, never-lost last, then the older grant. */
function spendOrder(a: Grant, b: Grant): number {
  return lostAt(a) === lostAt(b) ? a.seq - b.seq : lostAt(a) < lostAt(b) ? -1 : 1;
}

export class LedgerModel {
  now: number;
  readonly purchases: ModelPurchase[] = [];
  private grants: Grant[] = [];
  private debts: Debt[] = [];
  private seq = 0;

  constructor(
    readonly customerType: CustomerType,
    now: number,
    private readonly catalog: Catalog = demoCatalog,
  ) {
    this.now = now;
    this.settle();
  }

  get itemIds(): string[] {
    return Object.keys(this.catalog.items).filter((id) => this.catalog.items[id]!.customerType === this.customerType);
  }

  quantity(itemId: string): number {
    return this.held(itemId) - this.debt(itemId);
  }

  /** Σ remaining of the item's grants. */
  held(itemId: string): number {
    return this.grants.filter((g) => g.itemId === itemId).reduce((sum, g) => sum + g.remaining, 0);
  }

  debt(itemId: string): number {
    return this.debts.filter((d) => d.itemId === itemId).reduce((sum, d) => sum + d.remaining, 0);
  }

  /** Moves the clock (never back) and applies what came due. */
  advanceTo(at: number): void {
    if (at < this.now) throw new Error('the model clock only moves forward');
    this.now = at;
    this.settle();
  }

  increase(itemId: string, n: number, expiresAt: number | null = null): void {
    this.settle();
    this.addGrant({ itemId, purchase: null, window: null, quantity: n, expiresAt, resetsAt: null });
  }

  decrease(itemId: string, n: number): void {
    this.settle();
    this.takeAsDebt(itemId, this.draw(itemId, n));
  }

  tryDecrease(itemId: string, n: number): boolean {
    this.settle();
    if (this.quantity(itemId) < n) return false;
    if (this.draw(itemId, n) !== 0) throw new Error('model: grants do not cover a quantity that did');
    return true;
  }

  /** A purchase starting now, or earlier (a late webhook); one of a product line ends the live one there when this one started. */
  buy(
    productId: string,
    options: { quantity?: number; source: 'stripe' | 'grant'; startedAt?: number; trialEndsAt?: number | null; paidThrough: number | null },
  ): ModelPurchase {
    this.settle();
    const product = this.catalog.products[productId]!;
    const startedAt = options.startedAt ?? this.now;
    if (product.productLine) {
      for (const p of this.purchases) if (p.product.productLine === product.productLine && p.endedAt === null) this.close(p, startedAt);
    }
    const p = this.addPurchase(productId, product, options.quantity ?? 1, options.source, startedAt, options.paidThrough, options.trialEndsAt ?? null);
    this.settle();
    return p;
  }

  /** A later invoice paid: `paidThrough` only grows; an ended purchase is left alone. */
  renew(p: ModelPurchase, paidThrough: number): void {
    this.settle();
    if (p.endedAt !== null) return;
    p.paidThrough = Math.max(p.paidThrough ?? -NEVER, paidThrough);
    this.settle();
  }

  /** Ends a purchase at `at` (now, or earlier when the news came late). */
  end(p: ModelPurchase, at = this.now): void {
    this.settle();
    if (p.endedAt !== null) return;
    this.close(p, at);
    this.settle();
  }

  refund(p: ModelPurchase): void {
    this.settle();
    if (p.refunded) return;
    p.refunded = true;
    p.endedAt ??= this.now;
    for (const g of this.grants) if (g.purchase === p && !g.revoked) this.takeBack(g);
    this.settle();
  }

  /** An invoice for `[start, end)` refunded: its windows are taken back, or will never grant. */
  refundPeriod(p: ModelPurchase, start: number, end: number): void {
    this.settle();
    if (p.refunded) return;
    for (const [itemId, included] of Object.entries(p.product.includedItems)) {
      for (let index = 0; index === 0 || included.repeat !== 'never'; index++) {
        const at = windowStart(p, included, index);
        if (at >= end) break;
        if (at < start) continue;
        const granted = this.grants.find((g) => g.purchase === p && g.itemId === itemId && g.window === index);
        if (granted) {
          if (!granted.revoked) this.takeBack(granted);
        } else p.held.add(`${itemId}:${index}`);
      }
    }
    this.settle();
  }

  /** The next instant after now at which something may happen: an expiry, a window start (paid or not), a paid-through date. */
  nextEventAfterNow(): number | null {
    const times: number[] = [];
    for (const g of this.grants) if (g.remaining > 0 && g.expiresAt !== null) times.push(g.expiresAt);
    for (const p of this.purchases) {
      if (p.endedAt !== null) continue;
      if (p.paidThrough !== null) times.push(p.paidThrough);
      for (const [itemId, included] of Object.entries(p.product.includedItems)) {
        let index = p.turns.get(itemId) ?? 0;
        if (index > 0 && included.repeat === 'never') continue;
        while (included.repeat !== 'never' && windowStart(p, included, index) <= this.now) index++;
        times.push(windowStart(p, included, index));
      }
    }
    const later = times.filter((t) => t > this.now);
    return later.length ? Math.min(...later) : null;
  }

  // ---- the rules ----

  private addPurchase(
    productId: string,
    product: Product,
    quantity: number,
    source: ModelPurchase['source'],
    startedAt: number,
    paidThrough: number | null,
    trialEndsAt: number | null = null,
  ) {
    const p: ModelPurchase = {
      seq: ++this.seq,
      productId,
      product,
      quantity,
      source,
      startedAt,
      trialEndsAt,
      paidThrough,
      endedAt: null,
      refunded: false,
      turns: new Map(),
      held: new Set(),
    };
    this.purchases.push(p);
    return p;
  }

  /** Ends a purchase at `at`: its grants that last while it lasts expire then. */
  private close(p: ModelPurchase, at = this.now): void {
    p.endedAt = at;
    for (const g of this.grants) {
      const lasting = p.product.includedItems[g.itemId]?.expires !== 'never';
      if (g.purchase === p && lasting && !g.revoked && (g.expiresAt === null || g.expiresAt > at)) g.expiresAt = at;
    }
  }

  /** Applies everything due up to now, in time order, per item (items never interact). */
  private settle(): void {
    this.addDefaultProducts();
    for (const itemId of this.itemIds) {
      for (;;) {
        const expiring = this.grants
          .filter((g) => g.itemId === itemId && g.remaining > 0 && g.expiresAt !== null && g.expiresAt <= this.now)
          .sort((a, b) => a.expiresAt! - b.expiresAt! || a.seq - b.seq)[0];
        const window = this.dueWindows(itemId)[0];
        if (!expiring && !window) break;
        if (expiring && (!window || expiring.expiresAt! <= window.start)) expiring.remaining = 0;
        else this.takeTurn(window!);
      }
    }
  }

  private addDefaultProducts(): void {
    for (const [productId, product] of Object.entries(this.catalog.products)) {
      if (product.price !== 'include-by-default' || product.customerType !== this.customerType) continue;
      const line = this.purchases.filter((p) => p.product.productLine === product.productLine);
      if (line.some((p) => p.endedAt === null || p.endedAt > this.now)) continue;
      const lastEnd = line.length ? Math.max(...line.map((p) => p.endedAt!)) : this.now;
      this.addPurchase(productId, product, 1, 'default', lastEnd, null);
    }
  }

  /** Each purchase's next window of the item if it is due, earliest first (then the older purchase). */
  private dueWindows(itemId: string): Window[] {
    const due: Window[] = [];
    for (const purchase of this.purchases) {
      const included = purchase.product.includedItems[itemId];
      if (!included) continue;
      const index = purchase.turns.get(itemId) ?? 0;
      if (index > 0 && included.repeat === 'never') continue;
      const start = windowStart(purchase, included, index);
      if (start <= this.now && start < bound(purchase)) due.push({ purchase, itemId, included, index, start });
    }
    return due.sort((a, b) => a.start - b.start || a.purchase.seq - b.purchase.seq);
  }

  private takeTurn({ purchase: p, itemId, included, index, start }: Window): void {
    p.turns.set(itemId, index + 1);
    if (included.expires === 'when-repeated' && index > 0) {
      const previous = this.grants.find((g) => g.purchase === p && g.itemId === itemId && g.window === index - 1 && !g.revoked);
      if (previous && (previous.expiresAt === null || previous.expiresAt > start)) {
        previous.remaining = 0;
        previous.expiresAt = start;
      }
    }
    if (p.held.has(`${itemId}:${index}`)) return;
    const next = included.repeat === 'never' ? null : windowStart(p, included, index + 1);
    const resetsAt = included.expires === 'when-repeated' ? next : null;
    // Paid late, after its successor (also due now) had started: it pays only debt from before that.
    const supersededAt = resetsAt !== null && resetsAt <= this.now && resetsAt < bound(p) ? resetsAt : NEVER;
    const grant = {
      itemId,
      purchase: p,
      window: index,
      quantity: included.quantity * p.quantity,
      expiresAt: included.expires === 'never' ? null : p.endedAt,
      resetsAt,
    };
    this.addGrant(grant, supersededAt);
  }

  private addGrant(fields: Omit<Grant, 'seq' | 'remaining' | 'revoked'>, paysDebtBefore = NEVER): void {
    const grant: Grant = { ...fields, seq: ++this.seq, remaining: fields.quantity, revoked: false };
    const debts = this.debts.filter((d) => d.itemId === grant.itemId && d.remaining > 0 && d.arose < paysDebtBefore);
    for (const debt of debts.sort((a, b) => a.arose - b.arose || a.seq - b.seq)) {
      const pay = Math.min(grant.remaining, debt.remaining);
      debt.remaining -= pay;
      grant.remaining -= pay;
    }
    this.grants.push(grant);
  }

  /** Takes `amount` from the live grants in spend order; returns what they did not cover. */
  private draw(itemId: string, amount: number): number {
    const live = this.grants.filter((g) => g.itemId === itemId && g.remaining > 0).sort(spendOrder);
    let left = amount;
    for (const g of live) {
      const take = Math.min(left, g.remaining);
      g.remaining -= take;
      left -= take;
    }
    return left;
  }

  private takeAsDebt(itemId: string, amount: number): void {
    if (amount > 0) this.debts.push({ seq: ++this.seq, itemId, remaining: amount, arose: this.now });
  }

  private takeBack(g: Grant): void {
    const left = g.remaining;
    g.revoked = true;
    g.remaining = 0;
    if (g.expiresAt !== null && g.expiresAt <= this.now) return;
    this.takeAsDebt(g.itemId, this.draw(g.itemId, g.quantity - left));
  }
}
