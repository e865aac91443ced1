import { createHash, randomUUID } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { get, run, type Work } from '../../db/work';
import { idempotencyKey } from '../../db/schema';

/**
 * `Idempotency-Key` with Stripe's semantics, per team: the first request with a key claims it;
 * once it completes, a retry with the same request gets the same answer for 24 hours, a different
 * request with the key gets 422, and a retry while the first still runs gets 409. A request whose
 * work failed releases its key, so a retry runs again.
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * A claim with no answer after this long belongs to a request that died (a crash): it may be
 * claimed again. Work is given at most half of it (lib/api/metered.ts), so a live request is never
 * taken over; and a late answer of a taken-over claim is not stored (writes name their claim).
 */
export const ABANDONED_AFTER_MS = 60_000;

export type StoredAnswer = { status: number; body: unknown };
export type Claim = { outcome: 'claimed'; claim: string } | { outcome: 'replay'; answer: StoredAnswer } | { outcome: 'in_progress' } | { outcome: 'reused' };

export const requestHash = (request: string) => createHash('sha256').update(request).digest('hex');

const ofKey = (teamId: string, key: string) => and(eq(idempotencyKey.teamId, teamId), eq(idempotencyKey.key, key));

export function claimIdempotencyKey(db: Db, teamId: string, key: string, hash: string, now: number): Promise<Claim> {
  return db.write(function* (tx): Work<Claim> {
    const row = { teamId, key, requestHash: hash, claim: randomUUID(), responseStatus: null, responseBody: null, createdAt: now };
    const claimed = { outcome: 'claimed' as const, claim: row.claim };
    if (yield* get(tx.insert(idempotencyKey).values(row).onConflictDoNothing().returning({ key: idempotencyKey.key }))) return claimed;
    const existing = yield* get(tx.select().from(idempotencyKey).where(ofKey(teamId, key)));
    // PostgreSQL only: the other request released the key (its work failed) between our insert and
    // this read. The client may simply retry.
    if (!existing) return { outcome: 'in_progress' };
    const expired = existing.createdAt <= now - IDEMPOTENCY_WINDOW_MS;
    if (!expired && existing.requestHash !== hash) return { outcome: 'reused' };
    const abandoned = existing.responseStatus === null && existing.createdAt <= now - ABANDONED_AFTER_MS;
    if (expired || abandoned) {
      // Conditional on the claim read: of two requests taking over one key, one wins.
      const taken = yield* run(
        tx
          .update(idempotencyKey)
          .set(row)
          .where(and(ofKey(teamId, key), eq(idempotencyKey.claim, existing.claim ?? ''))),
      );
      return taken === 1 ? claimed : { outcome: 'in_progress' };
    }
    if (existing.responseStatus === null) return { outcome: 'in_progress' };
    return { outcome: 'replay', answer: { status: existing.responseStatus, body: JSON.parse(existing.responseBody ?? 'null') } };
  });
}

/** Stores the answer, if this request still holds the key. */
export function completeIdempotencyKey(db: Db, teamId: string, key: string, claim: string, answer: StoredAnswer): Promise<void> {
  return db.write(function* (tx) {
    yield* run(
      tx
        .update(idempotencyKey)
        .set({ responseStatus: answer.status, responseBody: JSON.stringify(answer.body) })
        .where(and(ofKey(teamId, key), eq(idempotencyKey.claim, claim))),
    );
  });
}

/** Lets go of the key (the work failed), if this request still holds it. */
export function releaseIdempotencyKey(db: Db, teamId: string, key: string, claim: string): Promise<void> {
  return db.write(function* (tx) {
    yield* run(tx.delete(idempotencyKey).where(and(ofKey(teamId, key), eq(idempotencyKey.claim, claim))));
  });
}

const PRUNE_BATCH = 1000;

/** Forgets up to a batch of keys older than the window (run now and then), so the write lock is held briefly. */
export function pruneIdempotencyKeys(db: Db, now: number): Promise<number> {
  const cutoff = now - IDEMPOTENCY_WINDOW_MS;
  return db.write((tx) =>
    run(
      tx
        .delete(idempotencyKey)
        .where(
          and(
            lt(idempotencyKey.createdAt, cutoff),
            sql`(${idempotencyKey.teamId}, ${idempotencyKey.key}) in (select team_id, key from idempotency_key where created_at < ${cutoff} limit ${PRUNE_BATCH})`,
          ),
        ),
    ),
  );
}
