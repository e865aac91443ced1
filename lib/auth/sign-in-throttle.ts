import { eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../db';
import { all, get, lock, run } from '../../db/work';
import { signInThrottle } from '../../db/schema';

/**
 * Progressive delays: after `free` failed attempts each further one doubles the wait, up to
 * `maxDelayMs`, and a quiet day forgets them; a guesser gets a few hundred tries a day. An account
 * is counted per browser that signed in to it before (`device`, see ./known-device.ts) apart from
 * everyone else (`account`), so a guesser who keeps the account delayed never delays its owner.
 */
export const throttlePolicies = {
  account: { free: 5, maxDelayMs: 5 * 60_000 },
  device: { free: 5, maxDelayMs: 5 * 60_000 },
  client: { free: 20, maxDelayMs: 15 * 60_000 },
  // Password-reset mails per address: a few at once, then an hour apart at most, so nobody can
  // flood someone's inbox through the form.
  reset: { free: 3, maxDelayMs: 60 * 60_000 },
  // Invitation mails per team and address, and per inviter.
  invite: { free: 3, maxDelayMs: 60 * 60_000 },
  inviter: { free: 30, maxDelayMs: 60 * 60_000 },
  // Email-change confirmation mails per account, and per address mailed (whichever account asks).
  email_change: { free: 3, maxDelayMs: 60 * 60_000 },
  email_change_to: { free: 3, maxDelayMs: 60 * 60_000 },
  // Passwords asked again of a signed-in account (changing the password or the email, deleting the
  // account or a team), per account: a borrowed session gets 5 guesses, then a few dozen an hour.
  password_check: { free: 5, maxDelayMs: 5 * 60_000 },
  // Sign-ups per client address (only with a trusted proxy header): each makes an account that can
  // mail others, and answers whether an email has one. 10 covers an office behind one address.
  sign_up: { free: 10, maxDelayMs: 60 * 60_000 },
  // Teams created per account, and per client address: each new team can invite (and mail) anew. A
  // person makes a handful; more are spaced out up to an hour.
  team_create: { free: 5, maxDelayMs: 60 * 60_000 },
  team_create_client: { free: 20, maxDelayMs: 60 * 60_000 },
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
export function admitSignInAttempt(db: Db, keys: ThrottleKey[], now: number): Promise<{ admitted: true } | { admitted: false; retryAfterMs: number }> {
  return db.write(function* (tx) {
    for (const key of keys.map(keyOf).sort()) yield* lock(`sign-in:${key}`);
    yield* run(tx.delete(signInThrottle).where(lt(signInThrottle.lastAttemptAt, now - FORGET_AFTER_MS)));
    const rows = yield* all(
      tx
        .select()
        .from(signInThrottle)
        .where(inArray(signInThrottle.key, keys.map(keyOf))),
    );
    const waitMs = Math.max(0, ...rows.map((row) => row.nextAttemptAt - now));
    if (waitMs > 0) return { admitted: false as const, retryAfterMs: waitMs };
    for (const key of keys) {
      const failures = (rows.find((row) => row.key === keyOf(key))?.failures ?? 0) + 1;
      const next = { failures, lastAttemptAt: now, nextAttemptAt: now + delayAfter(failures, throttlePolicies[key.kind]) };
      yield* run(
        tx
          .insert(signInThrottle)
          .values({ key: keyOf(key), ...next })
          .onConflictDoUpdate({ target: signInThrottle.key, set: next }),
      );
    }
    return { admitted: true as const };
  });
}

/**
 * After a successful sign-in: the account's (or device's) failures are forgotten, and the attempt
 * is taken back from the client address, so people signing in behind one address never add up.
 */
export function recordSignInSuccess(db: Db, keys: ThrottleKey[]): Promise<void> {
  return db.write(function* (tx) {
    for (const key of keys.map(keyOf).sort()) yield* lock(`sign-in:${key}`);
    for (const key of keys) {
      const row = yield* get(
        tx
          .select()
          .from(signInThrottle)
          .where(eq(signInThrottle.key, keyOf(key))),
      );
      if (!row) continue;
      const failures = key.kind === 'client' ? row.failures - 1 : 0;
      if (failures <= 0) yield* run(tx.delete(signInThrottle).where(eq(signInThrottle.key, row.key)));
      else {
        const nextAttemptAt = row.lastAttemptAt + delayAfter(failures, throttlePolicies[key.kind]);
        yield* run(tx.update(signInThrottle).set({ failures, nextAttemptAt }).where(eq(signInThrottle.key, row.key)));
      }
    }
  });
}
