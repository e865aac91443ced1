import { bearerToken } from '../http/authorization';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { all, get, run, statement } from '../../db/work';
import { apiKey } from '../../db/schema';
import { requireManager, teamRole } from '../auth/teams';
import { AppError } from '../errors';

/**
 * Team API keys: `tally_sk_` and 43 characters of a random 256-bit secret. Only its SHA-256 is
 * stored; a secret that random needs no slow hash, and one indexed lookup keeps the metered API
 * fast. Owners and admins create and revoke keys; every member sees their names and last use.
 */
const SECRET_PREFIX = 'tally_sk_';
const secretPattern = /^tally_sk_[A-Za-z0-9_-]{43}$/;
/** Last use is written at most this often per key, so a busy key does not turn reads into writes. */
const LAST_USED_PRECISION_MS = 60_000;

export type ApiKeySummary = { id: string; name: string; prefix: string; createdAt: number; lastUsedAt: number | null; revokedAt: number | null };
export type ApiKeyCaller = { keyId: string; teamId: string };

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

const requireKeyManager = (db: Db, userId: string, teamId: string) => db.read((tx) => requireManager(tx, teamId, userId, 'manage API keys'));

/** Creates a key; the secret is in the answer and nowhere else, ever. */
export async function createApiKey(db: Db, userId: string, teamId: string, name: string, now: number) {
  await requireKeyManager(db, userId, teamId);
  const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
  const row = {
    id: randomUUID(),
    teamId,
    name,
    prefix: secret.slice(0, SECRET_PREFIX.length + 6),
    secretHash: hashSecret(secret),
    createdBy: userId,
    createdAt: now,
  };
  await db.write((tx) => run(tx.insert(apiKey).values(row)));
  return { id: row.id, name, prefix: row.prefix, secret };
}

/** A team's keys, newest first, for any member. */
export async function listApiKeys(db: Db, userId: string, teamId: string): Promise<ApiKeySummary[]> {
  return db.read(function* (tx) {
    yield* teamRole(tx, teamId, userId);
    return yield* all(
      tx
        .select({
          id: apiKey.id,
          name: apiKey.name,
          prefix: apiKey.prefix,
          createdAt: apiKey.createdAt,
          lastUsedAt: apiKey.lastUsedAt,
          revokedAt: apiKey.revokedAt,
        })
        .from(apiKey)
        .where(eq(apiKey.teamId, teamId))
        .orderBy(desc(apiKey.createdAt)),
    );
  });
}

/** Revokes a key of this team at once: the next request with it gets 401. Revoking twice is a no-op. */
export async function revokeApiKey(db: Db, userId: string, teamId: string, keyId: string, now: number): Promise<void> {
  await requireKeyManager(db, userId, teamId);
  const found = await db.write(function* (tx) {
    const key = yield* get(
      tx
        .select({ revokedAt: apiKey.revokedAt })
        .from(apiKey)
        .where(and(eq(apiKey.id, keyId), eq(apiKey.teamId, teamId))),
    );
    if (key && key.revokedAt === null) yield* run(tx.update(apiKey).set({ revokedAt: now }).where(eq(apiKey.id, keyId)));
    return !!key;
  });
  if (!found) throw new AppError('not_found', 'API key not found.');
}

const keyBySecretHash = statement((tx) =>
  tx
    .select({ id: apiKey.id, teamId: apiKey.teamId, lastUsedAt: apiKey.lastUsedAt, revokedAt: apiKey.revokedAt })
    .from(apiKey)
    .where(eq(apiKey.secretHash, sql.placeholder('hash'))),
);

/** The live key an `Authorization: Bearer …` header carries, or null (missing, malformed, unknown, revoked). */
export async function authenticateApiKey(db: Db, authorization: string | null, now: number): Promise<ApiKeyCaller | null> {
  const secret = bearerToken(authorization);
  if (!secret || !secretPattern.test(secret)) return null;
  const key = await db.read(() => get(keyBySecretHash, { hash: hashSecret(secret) }));
  if (!key || key.revokedAt !== null) return null;
  if (key.lastUsedAt === null || key.lastUsedAt < now - LAST_USED_PRECISION_MS) {
    await db.write((tx) =>
      run(
        tx
          .update(apiKey)
          .set({ lastUsedAt: now })
          .where(and(eq(apiKey.id, key.id), or(isNull(apiKey.lastUsedAt), lt(apiKey.lastUsedAt, now - LAST_USED_PRECISION_MS)))),
      ),
    );
  }
  return { keyId: key.id, teamId: key.teamId };
}
