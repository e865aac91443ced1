// One OS process of the race test: spends 1 at a time until the balance says no.
import { openDatabase } from '../../db';
import { tryDecreaseQuantity } from './items';

const [file, teamId, startAt] = process.argv.slice(2) as [string, string, string];
const db = openDatabase(file);
const key = { customer: { type: 'team' as const, id: teamId }, itemId: 'api_calls' };

// Start together so the processes really interleave.
while (Date.now() < Number(startAt));
let successes = 0;
while (tryDecreaseQuantity(db, key, 1, Date.now())) successes++;
db.$client.close();
process.stdout.write(JSON.stringify({ successes }));
