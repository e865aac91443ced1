import { eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../db';
import { signInThrottle } from '../../db/schema';

/**
 * Progressive delays, never a lockout an attacker could hold: after `free` failed attempts each
 * further one doubles the wait, up to `maxDelayMs`, and a quiet day forgets them. An account's
 * owner is at most `maxDelayMs` away from another try; a guesser gets a few hundred tries a day.
 */
export const throttlePolicies = {
  account: { free: 5, maxDelayMs: 5 * 60_000 },
  client: { free: 20, maxDelayMs: 15 * 60_000 },
} as const;

const FORGET_AFTER_MS = 24 * 60 * 60_000;

export type ThrottleKey = { kind: keyof typeof throttlePolicies; value: string };

const keyOf = ({ kind, value }: ThrottleKey) => `${kind}:${value}`;

export function delayAfter(failures: number, { free, maxDelayMs }: { free: number; maxDelayMs: number }): number {
  return failures < free ? 0 : Math.min(1000 * 2 ** (failures - free), maxDelayMs);
}

/**
 * Counts an attempt before the password is checked, in one write transaction, so a hundred
 * parallel guesses cannot all pass the check before the first failure is recorded. Returns how
 * long to wait when any key is still delayed (nothing is counted then).
 */
export function admitSignInAttempt(db: Db, keys: ThrottleKey[], now: number): { admitted: true } | { admitted: false; retryAfterMs: number } {
  return db.transaction(
    (tx) => {
      tx.delete(signInThrottle)
        .where(lt(signInThrottle.lastAttemptAt, now - FORGET_AFTER_MS))
        .run();
      const rows = tx
        .select()
        .from(signInThrottle)
        .where(inArray(signInThrottle.key, keys.map(keyOf)))
        .all();
      const waitMs = Math.max(0, ...rows.map((row) => row.nextAttemptAt - now));
      if (waitMs > 0) return { admitted: false, retryAfterMs: waitMs };
      for (const key of keys) {
        const failures = (rows.find((row) => row.key === keyOf(key))?.failures ?? 0) + 1;
        const next = { failures, lastAttemptAt: now, nextAttemptAt: now + delayAfter(failures, throttlePolicies[key.kind]) };
        tx.insert(signInThrottle)
          .values({ key: keyOf(key), ...next })
          .onConflictDoUpdate({ target: signInThrottle.key, set: next })
          .run();
      }
      return { admitted: true };
    },
    { behavior: 'immediate' },
  );
}

/** A successful sign-in forgets the account's failures (a client address keeps its count). */
export function forgetSignInFailures(db: Db, key: ThrottleKey): void {
  db.delete(signInThrottle)
    .where(eq(signInThrottle.key, keyOf(key)))
    .run();
}
