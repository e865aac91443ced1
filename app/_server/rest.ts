import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { mailNoticesAfterResponse } from '@/app/_server/notices';
import { getPaymentsDeps } from '@/app/_server/payments';
import { demoPowers } from '@/app/_server/demo';
import { DEMO_SERVER_SECRET_KEY, getEnv } from '@/lib/env';
import { readTextUpTo } from '@/lib/http/body';
import { KnownError, toKnownError, type RestDeps } from '@/lib/rest/payments-api';

const MAX_BODY_BYTES = 100_000;

type Spec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = { params: P; query?: Q; body?: B };
type Input<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = { params: z.output<P>; query: z.output<Q>; body: z.output<B> };

function answer(error: KnownError): Response {
  return Response.json(
    { code: error.code, error: error.message, ...(error.details ? { details: error.details } : {}) },
    { status: error.status, headers: { 'x-tally-known-error': error.code, ...(error.status === 503 ? { 'Retry-After': '5' } : {}) } },
  );
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The server secret key, compared in constant time; none configured means the API is off. The
 * published demo key works only from this machine (demo powers, app/_server/demo.ts).
 */
async function authenticate(request: Request): Promise<KnownError | null> {
  const key = getEnv().serverSecretKey;
  if (!key) return new KnownError(401, 'SERVER_API_DISABLED', 'The server API is off: set TALLY_SERVER_SECRET_KEY.');
  if (key === DEMO_SERVER_SECRET_KEY && !(await demoPowers(request.headers))) {
    return new KnownError(401, 'SERVER_API_DISABLED', 'The demo server key works only from this machine: set TALLY_SERVER_SECRET_KEY.');
  }
  const sent = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
  if (!timingSafeEqual(digest(sent), digest(key))) {
    return new KnownError(401, 'INVALID_SECRET_SERVER_KEY', 'Send the server secret key as "Authorization: Bearer <TALLY_SERVER_SECRET_KEY>".');
  }
  return null;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new KnownError(400, 'SCHEMA_ERROR', `Invalid ${where}${issue?.path.length ? ` (${issue.path.join('.')})` : ''}: ${issue?.message ?? 'invalid'}.`);
}

/**
 * A route of the server REST API: authenticate the secret key, parse path, query and JSON body
 * with the zod schemas (400 SCHEMA_ERROR), run the handler, and answer known errors in Stack Auth's
 * shape with the code in `x-tally-known-error`.
 */
export function restRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R>(
  spec: Spec<P, Q, B>,
  handler: (deps: RestDeps, input: Input<P, Q, B>) => Promise<R>,
) {
  return async (request: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    const refused = await authenticate(request);
    if (refused) return answer(refused);
    try {
      const params = parse(spec.params, await context.params, 'path');
      const query = spec.query ? parse(spec.query, Object.fromEntries(new URL(request.url).searchParams), 'query') : undefined;
      let body: unknown;
      if (spec.body) {
        const text = await readTextUpTo(request, MAX_BODY_BYTES);
        if (text === null) throw new KnownError(413, 'PAYLOAD_TOO_LARGE', 'Send at most 100 KB.');
        try {
          body = parse(spec.body, text ? JSON.parse(text) : {}, 'body');
        } catch (error) {
          if (error instanceof KnownError) throw error;
          throw new KnownError(400, 'SCHEMA_ERROR', 'The body must be JSON.');
        }
      }
      const { db, now } = getPaymentsDeps();
      const result = await handler({ db, now }, { params, query, body } as Input<P, Q, B>);
      mailNoticesAfterResponse();
      return Response.json(result);
    } catch (error) {
      const known = toKnownError(error);
      if (known) return answer(known);
      throw error;
    }
  };
}
