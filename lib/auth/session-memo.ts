import type { Clock } from '../clock';

/**
 * Verified sessions, remembered for a few seconds by the exact values of their cookies. Checking a
 * session through better-auth costs two HMAC verifications on the crypto thread pool and a read of
 * the session row: more than all the rest of a spend. Remembering the answer for `ttlMs` (short, like
 * better-auth's own cookie cache, at most 60 s) is safe because the key is the cookie bytes that were
 * verified: nobody can produce a key they were not given. What must end at once ends here:
 * `forget` on sign-out, `clear` on a password reset; a session is never served past its own expiry. Another app instance may
 * keep accepting a signed-out cookie for up to `ttlMs`, as it would with a cookie cache.
 */
export function createSessionMemo<T>({ ttlMs, maxEntries, clock }: { ttlMs: number; maxEntries: number; clock: Clock }) {
  const entries = new Map<string, { value: T; until: number }>();
  let generation = 0;
  return {
    /** Read before verifying a session; `set` with it is ignored if `clear` ran meanwhile. */
    get generation() {
      return generation;
    },
    get(key: string): T | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until > clock()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: T, expiresAt: number, verifiedIn = generation) {
      if (verifiedIn !== generation) return; // verified before a password reset cleared the memo
      // Oldest first: a Map iterates in insertion order, so the first key is the one to drop.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, { value, until: Math.min(clock() + ttlMs, expiresAt) });
    },
    forget(key: string) {
      entries.delete(key);
    },
    /** Forgets every remembered session (a password reset signs out all of an account's sessions). */
    clear() {
      entries.clear();
      generation++;
    },
  };
}
