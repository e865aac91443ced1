// One OS process of the race test: says "ready", waits for "go", then spends 1 at a time until refused.
import { openDb, type DatabaseTarget } from '../../db';
import { tryDecreaseQuantity } from './items';

const [target, teamId] = process.argv.slice(2) as [string, string];
// Its own connection (SQLite) or its own pool (PostgreSQL), as another process or instance has.
const db = openDb(JSON.parse(target) as DatabaseTarget);
const key = { customer: { type: 'team' as const, id: teamId }, itemId: 'api_calls' };

process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  let successes = 0;
  while (await tryDecreaseQuantity(db, key, 1, Date.now())) successes++;
  await db.close();
  process.stdout.write(`${JSON.stringify({ successes })}\n`);
  process.exit(0);
});
