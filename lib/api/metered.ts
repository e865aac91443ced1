import type { z } from 'zod';
import { AppError } from '../errors';
import type { Db } from '../../db';
import type { CustomerClock } from '../clock';
import { apiKeyActor } from '../payments/actor';
import type { ItemKey } from '../payments/customer-ref';
import { getQuantity, increaseQuantity, tryDecrease } from '../payments/items';
import { withTimeout } from '../timeout';
import {
  ABANDONED_AFTER_MS,
  claimIdempotencyKey,
  completeIdempotencyKey,
  pruneIdempotencyKeys,
  releaseIdempotencyKey,
  requestHash,
  type StoredAnswer,
} from './idempotency';
import { authenticateApiKey } from './keys';

/** The item every call of the metered API spends one of. */
export const METERED_ITEM = 'api_calls';

export type MeteredDeps = {
  db: Db;
  now: CustomerClock;
  appUrl: string;
  /** How long the work may take before it fails and is not counted (default: half the takeover age). */
  operationTimeoutMs?: number;
};
export type MeteredRequest = { path: string; authorization: string | null; idempotencyKey: string | null; body: string };
/** `signal` aborts when the work has taken its time (`operationTimeoutMs`): pass it to what can stop then. */
export type MeteredOperation<S extends z.ZodType> = { input: S; run: (input: z.output<S>, context: { signal: AbortSignal }) => unknown };
export type ApiAnswer = StoredAnswer & { headers: Record<string, string> };

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;
const PRUNE_EVERY_MS = 60_000;
/** Work that takes longer fails (and is not counted): well before its idempotency claim could be taken over. */
const OPERATION_TIMEOUT_MS = ABANDONED_AFTER_MS / 2;
if (OPERATION_TIMEOUT_MS >= ABANDONED_AFTER_MS) throw new Error('the operation timeout must stay below the takeover age');
let prunedAt = 0;

/** A refusal as every HTTP API of the app answers it (`AppError.toBody`), stored like any answer. */
const failure = (error: AppError): StoredAnswer => ({ status: error.status, body: error.toBody() });

/**
 * One call of the metered API: authenticate the team API key, validate the input, honour the
 * `Idempotency-Key`, spend one `api_calls` with `tryDecreaseQuantity`'s atomic take, then do the
 * work. A 402 is an answer like any other (stored under the key); work that throws gives the call
 * back and releases the key, and so does work that outlasts OPERATION_TIMEOUT_MS (its signal aborts
 * then). Every answer after authentication says what quota is left.
 */
export async function meteredCall<S extends z.ZodType>(deps: MeteredDeps, request: MeteredRequest, operation: MeteredOperation<S>): Promise<ApiAnswer> {
  try {
    return await answerCall(deps, request, operation);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'database_unavailable')) throw error;
    // A spend whose transaction did not commit is undone with it; retrying with the same
    // Idempotency-Key charges one that did commit once.
    return { ...failure(error), headers: { 'Retry-After': '5' } };
  }
}

async function answerCall<S extends z.ZodType>(deps: MeteredDeps, request: MeteredRequest, operation: MeteredOperation<S>): Promise<ApiAnswer> {
  const wallNow = deps.now();
  const caller = await authenticateApiKey(deps.db, request.authorization, wallNow);
  if (!caller) {
    return {
      ...failure(
        new AppError('unauthorized', 'Send a live team API key as "Authorization: Bearer tally_sk_…". Owners and admins create keys on the team\'s API page.'),
      ),
      headers: { 'WWW-Authenticate': 'Bearer' },
    };
  }
  const customer = { type: 'team', id: caller.teamId } as const;
  const key: ItemKey = { customer, itemId: METERED_ITEM };
  const now = deps.now(customer);
  const answer = (stored: StoredAnswer, remaining: number, headers: Record<string, string> = {}): ApiAnswer => ({
    ...stored,
    headers: { 'X-Quota-Remaining': String(Math.max(0, remaining)), ...headers },
  });
  const remainingNow = () => getQuantity(deps.db, key, now);

  const input = parseJson(request.body, operation.input);
  if (!input.success) return answer(failure(new AppError('invalid_input', input.message)), await remainingNow());
  const idempotencyKey = request.idempotencyKey;
  let held: { key: string; claim: string } | null = null;
  if (idempotencyKey !== null) {
    if (!idempotencyKeyPattern.test(idempotencyKey)) {
      return answer(failure(new AppError('invalid_input', 'Idempotency-Key must be 1 to 255 printable characters.')), await remainingNow());
    }
    if (wallNow - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = wallNow;
      await pruneIdempotencyKeys(deps.db, wallNow);
    }
    const claim = await claimIdempotencyKey(deps.db, caller.teamId, idempotencyKey, requestHash(`POST ${request.path}\n${request.body}`), wallNow);
    if (claim.outcome === 'replay') return answer(claim.answer, await remainingNow(), { 'Idempotent-Replayed': 'true' });
    if (claim.outcome === 'reused') {
      return answer(
        failure(new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a different request in the last 24 hours.')),
        await remainingNow(),
      );
    }
    if (claim.outcome === 'in_progress') {
      return answer(
        failure(new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is still running; retry in a moment.')),
        await remainingNow(),
      );
    }
    held = { key: idempotencyKey, claim: claim.claim };
  }
  const complete = async (stored: StoredAnswer) => {
    if (held) await completeIdempotencyKey(deps.db, caller.teamId, held.key, held.claim, stored);
    return stored;
  };

  const actor = apiKeyActor(caller.keyId);
  const left = await tryDecrease(deps.db, key, 1, now, actor);
  if (left === null) {
    const refused = failure(
      new AppError('quota_exceeded', 'This team has used all of its API calls. Buy more or upgrade its plan.', { upgradeUrl: `${deps.appUrl}/pricing` }),
    );
    return answer(await complete(refused), await remainingNow());
  }
  let result: unknown;
  try {
    const ms = Math.min(deps.operationTimeoutMs ?? OPERATION_TIMEOUT_MS, OPERATION_TIMEOUT_MS);
    result = await withTimeout(async (signal) => operation.run(input.data, { signal }), ms);
  } catch (error) {
    await increaseQuantity(deps.db, key, 1, now, actor, 'returned');
    if (held) await releaseIdempotencyKey(deps.db, caller.teamId, held.key, held.claim);
    console.error(error);
    return answer(failure(new AppError('internal', 'The call failed on our side and was not counted. Please retry.')), left + 1);
  }
  return answer(await complete({ status: 200, body: { data: result } }), left);
}

function parseJson<S extends z.ZodType>(body: string, schema: S): { success: true; data: z.output<S> } | { success: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { success: false, message: 'The body must be JSON.' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, message: parsed.error.issues[0]?.message ?? 'Invalid input.' };
}
