// One OS process of the race tests: says "ready", waits for "go", then runs its operation and
// prints what it did as JSON. argv: database target, customer (JSON), operation, argument.
import { openDb, type DatabaseTarget } from '../../db';
import type { CustomerRef } from './customer-ref';
import { decreaseQuantity, tryDecreaseQuantity } from './items';
import { getPurchase } from './purchase-rows';
import { updatePurchase } from './purchases';

const [target, customerJson, operation, argument] = process.argv.slice(2) as [string, string, string, string];
// Its own connection (SQLite) or its own pool (PostgreSQL), as another process or instance has.
const db = openDb(JSON.parse(target) as DatabaseTarget);
const customer = JSON.parse(customerJson) as CustomerRef;

const operations: Record<string, () => Promise<number>> = {
  /** Spends 1 at a time until refused; counts the successes. */
  async tryDecrease() {
    let successes = 0;
    while (await tryDecreaseQuantity(db, { customer, itemId: argument }, 1, Date.now())) successes++;
    return successes;
  },
  /** Spends 1, 250 times, whatever is there. */
  async decrease() {
    for (let i = 0; i < 250; i++) await decreaseQuantity(db, { customer, itemId: argument }, 1, Date.now());
    return 250;
  },
  /**
   * A paid invoice after another: paid-through moves a day further each time. Counts the times it
   * then read paid-through below what it had recorded: another write undid it (a lost update).
   */
  async renew() {
    const { purchaseId, from } = JSON.parse(argument) as { purchaseId: string; from: number };
    let undone = 0;
    for (let day = 1; day <= 100; day++) {
      const paidThrough = from + day * 86_400_000;
      await db.write((tx) => updatePurchase(tx, purchaseId, { paidThrough }, from));
      const now = await db.read((tx) => getPurchase(tx, purchaseId));
      if (now!.paidThrough! < paidThrough) undone++;
    }
    return undone;
  },
  /** A stale event for the same subscription: it repeats the first paid-through and flips cancel-at-period-end. */
  async staleEvents() {
    const { purchaseId, from } = JSON.parse(argument) as { purchaseId: string; from: number };
    for (let i = 0; i < 100; i++) await db.write((tx) => updatePurchase(tx, purchaseId, { paidThrough: from, cancelAtPeriodEnd: i % 2 === 0 }, from));
    return 100;
  },
};

process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  const done = await operations[operation]!();
  await db.close();
  process.stdout.write(`${JSON.stringify({ done })}\n`);
  process.exit(0);
});
