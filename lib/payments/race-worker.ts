// One OS process of the race test: says "ready", waits for "go", then spends 1 at a time until refused.
import { openDatabase, sqliteDb } from '../../db';
import { tryDecreaseQuantity } from './items';

const [file, teamId] = process.argv.slice(2) as [string, string];
const db = sqliteDb(openDatabase(file));
const key = { customer: { type: 'team' as const, id: teamId }, itemId: 'api_calls' };

process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  let successes = 0;
  while (await tryDecreaseQuantity(db, key, 1, Date.now())) successes++;
  db.orm.$client.close();
  process.stdout.write(`${JSON.stringify({ successes })}\n`);
  process.exit(0);
});
