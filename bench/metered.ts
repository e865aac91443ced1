// The metered API under load on a production build: `POST /api/v1/summarize` with a team API key
// against `/api/bare` on the same server, 64 connections, in alternating rounds. Then the quota
// under load: a team with N API calls gets exactly N answers 200 and the rest 402.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeTestDbs, createSharedTestDb, insertUser } from '../db/testing';
import { createApiKey } from '../lib/api/keys';
import { METERED_ITEM } from '../lib/api/metered';
import { createTeam } from '../lib/auth/teams';
import { getQuantity, increaseQuantity } from '../lib/payments/items';
import { describeQueries, loadRound, queriesPerRequest, sendOnce, type Cannon } from './load';
import { buildForBench, median, startNext } from './server';

const PORT = 3230;
const APP_URL = `http://localhost:${PORT}`;
const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;
const QUOTA = 1_000;

const load = (cannon: Cannon, seconds = SECONDS) => loadRound(APP_URL, CONNECTIONS, cannon, seconds);

async function main() {
  buildForBench();
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-metered-bench-'));
  const { db, target } = await createSharedTestDb(dir);
  const server = await startNext(PORT, {
    DATABASE_URL: target.dialect === 'postgres' ? target.url : target.file,
    STRIPE_EMULATOR_DATABASE: path.join(dir, 'stripe-emulator.db'),
    STRIPE_EMULATOR_PORT: String(PORT + 1),
    APP_URL,
  });
  try {
    const owner = await insertUser(db);
    const teamWithKey = async (quota: number) => {
      const teamId = (await createTeam(db, owner, `Bench ${quota}`)).id;
      const { secret } = await createApiKey(db, owner, teamId, 'bench', Date.now());
      await increaseQuantity(db, { customer: { type: 'team', id: teamId }, itemId: METERED_ITEM }, quota, Date.now());
      return { teamId, secret };
    };
    const call = (secret: string): Cannon => ({
      url: '/api/v1/summarize',
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Tally sells items. Subscriptions refill them. The app spends them atomically.' }),
      expect: '"summary"',
    });
    const bare: Cannon = { url: '/api/bare' };

    const busy = await teamWithKey(100_000_000);
    await load(bare, 2);
    const warmUp = await load(call(busy.secret), 2);
    if (warmUp.errors) throw new Error(`warm-up: ${warmUp.errors} failed calls, e.g. ${warmUp.sample}`);
    console.log(describeQueries('metered-api', db.dialect, await queriesPerRequest(APP_URL, () => sendOnce(APP_URL, call(busy.secret)))));
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const b = await load(bare);
      const m = await load(call(busy.secret));
      if (m.errors || b.errors) throw new Error(`round ${round}: ${m.errors} failed calls (e.g. ${m.sample}), ${b.errors} failed bare requests`);
      ratios.push(m.rps / b.rps);
      console.log(
        `round ${round}: metered-api ${m.rps.toFixed(0)} requests/s (p99 ${m.p99} ms), bare route ${b.rps.toFixed(0)} requests/s (p99 ${b.p99} ms), ${CONNECTIONS} connections`,
      );
    }
    console.log(`ratio metered-api/bare-route (${db.dialect}): ${median(ratios).toFixed(2)} (median of ${ROUNDS} rounds)`);

    // A quota of QUOTA under load from 64 connections: exactly QUOTA answers 200, the rest 402.
    const scarce = await teamWithKey(QUOTA);
    const statuses = new Map<number, number>();
    await load({ ...call(scarce.secret), amount: QUOTA * 3, onStatus: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1) });
    const ok = statuses.get(200) ?? 0;
    const refused = statuses.get(402) ?? 0;
    const left = await getQuantity(db, { customer: { type: 'team', id: scarce.teamId }, itemId: METERED_ITEM }, Date.now());
    const exact = ok === QUOTA && refused === QUOTA * 2 && left === 0;
    console.log(`quota ${QUOTA} under ${CONNECTIONS} connections: ${ok} answers 200, ${refused} answers 402, ${left} left: ${exact ? 'exact' : 'WRONG'}`);
    if (!exact) process.exitCode = 1;
  } finally {
    server.stop();
    await closeTestDbs();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
