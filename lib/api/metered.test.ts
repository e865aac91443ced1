import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '../../db';
import { createTestDb, insertUser } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { databaseUnavailable } from '../errors';
import { createTeam } from '../auth/teams';
import { listActivity } from '../payments/activity';
import { getQuantity, increaseQuantity } from '../payments/items';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from './idempotency';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from './keys';
import { METERED_ITEM, meteredCall, type MeteredRequest } from './metered';
import { summarize, summarizeInput } from './summarize';

let db: Db;
let alice: string;
let teamId: string;
let now: number;
const clock = () => now;
const deps = () => ({ db, now: clock, appUrl: 'http://localhost:3000' });
const team = () => ({ customer: { type: 'team' as const, id: teamId }, itemId: METERED_ITEM });
const call = (
  secret: string | null,
  body: unknown = { text: 'Hello there. Second sentence.' },
  idempotencyKey: string | null = null,
  run: (input: z.output<typeof summarizeInput>) => unknown = summarize,
) =>
  meteredCall(
    deps(),
    {
      path: '/api/v1/summarize',
      authorization: secret === null ? null : `Bearer ${secret}`,
      idempotencyKey,
      body: JSON.stringify(body),
    } satisfies MeteredRequest,
    { input: summarizeInput, run },
  );
/** The team's quota: what the free team product grants, topped up or drawn down to `n`. */
async function setQuota(n: number) {
  const have = await getQuantity(db, team(), now);
  if (have < n) await increaseQuantity(db, team(), n - have, now);
  while ((await getQuantity(db, team(), now)) > n) await call(secret);
}
let secret: string;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 1);
  db = await createTestDb();
  alice = await insertUser(db, 'alice@example.com');
  teamId = (await createTeam(db, alice, 'Acme')).id;
  secret = (await createApiKey(db, alice, teamId, 'CI', now)).secret;
});

describe('team API keys', () => {
  it('are shown once, stored as a hash, listed by prefix, and stop working when revoked', async () => {
    const created = await createApiKey(db, alice, teamId, 'Backend', now + 1000);
    expect(created.secret).toMatch(/^tally_sk_[A-Za-z0-9_-]{43}$/);
    const [listed] = await listApiKeys(db, alice, teamId);
    expect(listed).toMatchObject({ id: created.id, name: 'Backend', prefix: created.secret.slice(0, 15), revokedAt: null });
    expect(JSON.stringify(await db.orm.query.apiKey.findMany())).not.toContain(created.secret.slice(15));
    expect(await authenticateApiKey(db, `Bearer ${created.secret}`, now)).toEqual({ keyId: created.id, teamId });
    await revokeApiKey(db, alice, teamId, created.id, now);
    expect(await authenticateApiKey(db, `Bearer ${created.secret}`, now)).toBeNull();
  });

  it('are managed by owners and admins only, seen by members, hidden from everyone else', async () => {
    const bob = await insertUser(db, 'bob@example.com');
    const { addMemberByEmail } = await import('../auth/teams');
    await addMemberByEmail(db, alice, teamId, 'bob@example.com', 'member', now);
    expect(await errorCode(() => createApiKey(db, bob, teamId, 'Mine', now))).toBe('forbidden');
    const [key] = await listApiKeys(db, bob, teamId);
    expect(await errorCode(() => revokeApiKey(db, bob, teamId, key!.id, now))).toBe('forbidden');
    const carol = await insertUser(db, 'carol@example.com');
    expect(await errorCode(() => listApiKeys(db, carol, teamId))).toBe('team_not_found');
    const other = (await createTeam(db, carol, 'Other')).id;
    expect(await errorCode(() => revokeApiKey(db, carol, other, key!.id, now))).toBe('not_found');
  });

  it('are read from the Bearer scheme in any case, as HTTP schemes are', async () => {
    for (const authorization of [`bearer ${secret}`, `BEARER ${secret}`]) {
      const answer = await meteredCall(
        deps(),
        { path: '/x', authorization, idempotencyKey: null, body: '{"text":"a"}' },
        { input: summarizeInput, run: summarize },
      );
      expect(answer.status).not.toBe(401);
    }
  });

  it('refuse missing, malformed, made-up and revoked keys with 401', async () => {
    for (const authorization of [null, 'tally_sk_x', `Basic ${secret}`, `Bearer ${secret}x`, `Bearer tally_sk_${'A'.repeat(43)}`]) {
      expect(
        (await meteredCall(deps(), { path: '/x', authorization, idempotencyKey: null, body: '{"text":"a"}' }, { input: summarizeInput, run: summarize }))
          .status,
      ).toBe(401);
    }
  });
});

describe('the metered API', () => {
  it('spends one API call per answered call, says what is left, and answers 402 at zero', async () => {
    await setQuota(2);
    const first = await call(secret);
    expect(first).toMatchObject({ status: 200, body: { data: { summary: 'Hello there. Second sentence.', sentences: 2, words: 4 } } });
    expect(first.headers['X-Quota-Remaining']).toBe('1');
    expect((await call(secret)).headers['X-Quota-Remaining']).toBe('0');
    const refused = await call(secret);
    expect(refused).toMatchObject({ status: 402, body: { code: 'QUOTA_EXCEEDED', details: { upgradeUrl: 'http://localhost:3000/pricing' } } });
    expect(refused.headers['X-Quota-Remaining']).toBe('0');
    expect(await getQuantity(db, team(), now)).toBe(0);
  });

  it('spends nothing on invalid input', async () => {
    await setQuota(5);
    expect(await call(secret, { text: '' })).toMatchObject({ status: 400, body: { code: 'SCHEMA_ERROR' } });
    expect(
      (
        await meteredCall(
          deps(),
          { path: '/x', authorization: `Bearer ${secret}`, idempotencyKey: null, body: 'not json' },
          { input: summarizeInput, run: summarize },
        )
      ).status,
    ).toBe(400);
    expect(await getQuantity(db, team(), now)).toBe(5);
  });

  it("spends only the key's own team's quota", async () => {
    const bob = await insertUser(db, 'bob@example.com');
    const otherTeam = (await createTeam(db, bob, 'Other')).id;
    const otherSecret = (await createApiKey(db, bob, otherTeam, 'Theirs', now)).secret;
    await setQuota(5);
    const theirs = { customer: { type: 'team' as const, id: otherTeam }, itemId: METERED_ITEM };
    expect((await call(otherSecret)).status).toBe(402);
    await increaseQuantity(db, theirs, 3, now);
    expect((await call(otherSecret)).status).toBe(200);
    expect(await getQuantity(db, team(), now)).toBe(5);
    expect(await getQuantity(db, theirs, now)).toBe(2);
  });

  it('records the API key as who spent, for the activity page', async () => {
    await setQuota(1);
    await call(secret);
    const { entries } = await listActivity(db, { type: 'team', id: teamId });
    expect(entries[0]).toMatchObject({ reason: 'consumption', delta: -1, by: 'API key “CI”' });
  });

  it('gives the call back when the work fails, and keeps nothing under the idempotency key', async () => {
    await setQuota(3);
    const failing = await call(secret, undefined, 'retry-me', () => {
      throw new Error('model unavailable');
    });
    expect(failing.status).toBe(500);
    expect(await getQuantity(db, team(), now)).toBe(3);
    expect(await call(secret, undefined, 'retry-me')).toMatchObject({ status: 200 });
    expect(await getQuantity(db, team(), now)).toBe(2);
  });
});

describe('a database outage', () => {
  it('answers 503 database_unavailable with Retry-After, never a bare 500', async () => {
    const down = { ...db, read: () => Promise.reject(databaseUnavailable()), write: () => Promise.reject(databaseUnavailable()) };
    const answer = await meteredCall(
      { db: down, now: clock, appUrl: 'http://localhost:3000' },
      {
        path: '/api/v1/summarize',
        authorization: `Bearer ${secret}`,
        idempotencyKey: null,
        body: JSON.stringify({ text: 'One.' }),
      },
      { input: summarizeInput, run: summarize },
    );
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ code: 'DATABASE_UNAVAILABLE', error: expect.stringContaining('not answering') });
    expect(answer.headers).toMatchObject({ 'Retry-After': '5' });
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same request and spends nothing more, a 402 included', async () => {
    await setQuota(1);
    const first = await call(secret, { text: 'One.' }, 'k1');
    const again = await call(secret, { text: 'One.' }, 'k1');
    expect(again).toMatchObject({ status: 200, body: first.body, headers: { 'Idempotent-Replayed': 'true' } });
    expect(await getQuantity(db, team(), now)).toBe(0);
    const refused = await call(secret, { text: 'Two.' }, 'k2');
    expect(refused.status).toBe(402);
    await increaseQuantity(db, team(), 5, now);
    expect(await call(secret, { text: 'Two.' }, 'k2')).toMatchObject({ status: 402, headers: { 'X-Quota-Remaining': '5' } });
    expect(await getQuantity(db, team(), now)).toBe(5);
  });

  it('answers 422 to the same key with another body, and forgets keys after 24 hours', async () => {
    await setQuota(5);
    await call(secret, { text: 'One.' }, 'k');
    expect(await call(secret, { text: 'Other.' }, 'k')).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await getQuantity(db, team(), now)).toBe(4);
    now += 24 * 60 * 60 * 1000 + 1;
    expect(await call(secret, { text: 'Other.' }, 'k')).toMatchObject({ status: 200 });
  });

  it('scopes keys to the team', async () => {
    const bob = await insertUser(db, 'bob@example.com');
    const otherTeam = (await createTeam(db, bob, 'Other')).id;
    const otherSecret = (await createApiKey(db, bob, otherTeam, 'Theirs', now)).secret;
    await increaseQuantity(db, { customer: { type: 'team', id: otherTeam }, itemId: METERED_ITEM }, 1, now);
    await setQuota(1);
    await call(secret, { text: 'Mine.' }, 'shared');
    expect(await call(otherSecret, { text: 'Theirs.' }, 'shared')).toMatchObject({ status: 200, body: { data: { summary: 'Theirs.' } } });
  });

  it('spends once for concurrent requests with one key: the others replay or get 409', async () => {
    await setQuota(10);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async (input: z.output<typeof summarizeInput>) => {
      await gate;
      return summarize(input);
    };
    const first = call(secret, { text: 'Same.' }, 'concurrent', slow);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const during = await Promise.all(Array.from({ length: 5 }, () => call(secret, { text: 'Same.' }, 'concurrent', slow)));
    expect(during.map((answer) => answer.status)).toEqual([409, 409, 409, 409, 409]);
    release();
    expect((await first).status).toBe(200);
    expect((await call(secret, { text: 'Same.' }, 'concurrent')).headers['Idempotent-Replayed']).toBe('true');
    expect(await getQuantity(db, team(), now)).toBe(9);
  });

  it('rejects keys that are empty, too long or not printable', async () => {
    for (const key of ['', 'x'.repeat(256), 'tab\tkey']) expect((await call(secret, undefined, key)).status).toBe(400);
  });
});

describe('calls per day', () => {
  it('counts answered calls per UTC day of this month, less calls given back', async () => {
    const { callsPerDay } = await import('./usage');
    await setQuota(10);
    now = Date.UTC(2026, 10, 2, 12);
    await call(secret);
    await call(secret);
    await call(secret, undefined, null, () => {
      throw new Error('fails: given back');
    });
    now = Date.UTC(2026, 10, 4, 1);
    await call(secret);
    expect(await callsPerDay(db, teamId, now)).toEqual([
      { day: '2026-11-01', calls: 0 },
      { day: '2026-11-02', calls: 2 },
      { day: '2026-11-03', calls: 0 },
      { day: '2026-11-04', calls: 1 },
    ]);
  });
});

describe('Idempotency-Key claims', () => {
  it('are fenced: after a takeover, the late first request can neither store its answer nor release the key', async () => {
    const first = await claimIdempotencyKey(db, teamId, 'k', 'hash-a', now);
    expect(await claimIdempotencyKey(db, teamId, 'k', 'hash-b', now + 61_000)).toEqual({ outcome: 'reused' }); // another body never takes over
    const second = await claimIdempotencyKey(db, teamId, 'k', 'hash-a', now + 61_000); // the first looks dead
    if (first.outcome !== 'claimed' || second.outcome !== 'claimed') throw new Error('expected both to claim');
    await completeIdempotencyKey(db, teamId, 'k', first.claim, { status: 200, body: 'late' });
    await releaseIdempotencyKey(db, teamId, 'k', first.claim);
    expect(await claimIdempotencyKey(db, teamId, 'k', 'hash-a', now + 62_000)).toEqual({ outcome: 'in_progress' });
    await completeIdempotencyKey(db, teamId, 'k', second.claim, { status: 200, body: 'second' });
    expect(await claimIdempotencyKey(db, teamId, 'k', 'hash-a', now + 63_000)).toEqual({ outcome: 'replay', answer: { status: 200, body: 'second' } });
  });

  it('fail work that outlasts its time (30 s, well before its claim could be taken over), and give the call back', async () => {
    await setQuota(2);
    const stuck = await meteredCall(
      { ...deps(), operationTimeoutMs: 50 },
      { path: '/api/v1/summarize', authorization: `Bearer ${secret}`, idempotencyKey: 'slow', body: JSON.stringify({ text: 'Slow.' }) },
      { input: summarizeInput, run: () => new Promise(() => {}) },
    );
    expect(stuck.status).toBe(500);
    expect(await getQuantity(db, team(), now)).toBe(2);
    expect((await call(secret, { text: 'Slow.' }, 'slow')).status).toBe(200); // the key was released
  });

  it('tell work that outlasts its time through its signal, so it can stop', async () => {
    await setQuota(1);
    let seen: AbortSignal | undefined;
    const stopsWhenTold = (_: unknown, { signal }: { signal: AbortSignal }) => {
      seen = signal;
      return new Promise((resolve) => signal.addEventListener('abort', resolve));
    };
    const stopped = await meteredCall(
      { ...deps(), operationTimeoutMs: 50 },
      { path: '/api/v1/summarize', authorization: `Bearer ${secret}`, idempotencyKey: null, body: JSON.stringify({ text: 'Slow.' }) },
      { input: summarizeInput, run: stopsWhenTold },
    );
    expect(seen?.aborted).toBe(true);
    expect(stopped.status).toBe(500); // stopped, not finished: not counted
    expect(await getQuantity(db, team(), now)).toBe(1);
  });
});
