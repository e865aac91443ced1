import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db';
import { get, run } from '../../db/work';
import { idempotencyKey } from '../../db/schema';

/**
 * `Idempotency-Key` with Stripe's semantics, per team: the first request with a key claims it;
 * once it completes, a retry with the same request gets the same answer for 24 hours, a different
 * request with the key gets 422, and a retry while the first still runs gets 409. A request whose
 * work failed releases its key, so a retry runs again.
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A claim with no answer after this long belongs to a request that died (a crash): it may be claimed again. */
const ABANDONED_AFTER_MS = 60_000;

export type StoredAnswer = { status: number; body: unknown };
export type Claim = { outcome: 'claimed' } | { outcome: 'replay'; answer: StoredAnswer } | { outcome: 'in_progress' } | { outcome: 'reused' };

export const requestHash = (request: string) => createHash('sha256').update(request).digest('hex');

const ofKey = (teamId: string, key: string) => and(eq(idempotencyKey.teamId, teamId), eq(idempotencyKey.key, key));

export function claimIdempotencyKey(db: Db, teamId: string, key: string, hash: string, now: number): Promise<Claim> {
  return db.write(function* (tx) {
    const claim = { teamId, key, requestHash: hash, responseStatus: null, responseBody: null, createdAt: now };
    if (yield* get(tx.insert(idempotencyKey).values(claim).onConflictDoNothing().returning({ key: idempotencyKey.key }))) return { outcome: 'claimed' };
    const existing = yield* get(tx.select().from(idempotencyKey).where(ofKey(teamId, key)));
    // Released between our insert and this read: the other request failed; asking again is safe.
    if (!existing) return { outcome: 'in_progress' };
    const expired = existing.createdAt <= now - IDEMPOTENCY_WINDOW_MS;
    const abandoned = existing.responseStatus === null && existing.createdAt <= now - ABANDONED_AFTER_MS;
    if (expired || abandoned) {
      // Conditional on the row read: of two requests taking over one key, one wins.
      const taken = yield* run(
        tx
          .update(idempotencyKey)
          .set(claim)
          .where(and(ofKey(teamId, key), eq(idempotencyKey.createdAt, existing.createdAt))),
      );
      return taken === 1 ? { outcome: 'claimed' } : { outcome: 'in_progress' };
    }
    if (existing.requestHash !== hash) return { outcome: 'reused' };
    if (existing.responseStatus === null) return { outcome: 'in_progress' };
    return { outcome: 'replay', answer: { status: existing.responseStatus, body: JSON.parse(existing.responseBody ?? 'null') } };
  });
}

export function completeIdempotencyKey(db: Db, teamId: string, key: string, answer: StoredAnswer): Promise<void> {
  return db.write(function* (tx) {
    yield* run(
      tx
        .update(idempotencyKey)
        .set({ responseStatus: answer.status, responseBody: JSON.stringify(answer.body) })
        .where(ofKey(teamId, key)),
    );
  });
}

export function releaseIdempotencyKey(db: Db, teamId: string, key: string): Promise<void> {
  return db.write(function* (tx) {
    yield* run(tx.delete(idempotencyKey).where(ofKey(teamId, key)));
  });
}

/** Forgets keys older than the window (run now and then: an indexed range delete). */
export function pruneIdempotencyKeys(db: Db, now: number): Promise<number> {
  return db.write((tx) => run(tx.delete(idempotencyKey).where(lt(idempotencyKey.createdAt, now - IDEMPOTENCY_WINDOW_MS))));
}
