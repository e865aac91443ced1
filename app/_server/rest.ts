import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { mailNoticesAfterResponse } from '@/app/_server/notices';
import { getAppContext } from '@/app/_server/app-context';
import { demoPowers } from '@/app/_server/demo';
import { DEMO_SERVER_SECRET_KEY, getEnv } from '@/lib/env';
import { bearerToken } from '@/lib/http/authorization';
import { readTextUpTo } from '@/lib/http/body';
import { isJsonContentType } from '@/lib/http/json-body';
import { AppError } from '@/lib/errors';
import type { RestDeps } from '@/lib/rest/payments-api';

const MAX_BODY_BYTES = 100_000;

type Spec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = { params: P; query?: Q; body?: B };
type Input<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = { params: z.output<P>; query: z.output<Q>; body: z.output<B> };

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The server secret key, compared in constant time; none configured means the API is off. The
 * published demo key works only from this machine (demo powers, app/_server/demo.ts).
 */
async function authenticate(request: Request): Promise<AppError | null> {
  const key = getEnv().serverSecretKey;
  if (!key) return new AppError('server_api_disabled', 'The server API is off: set TALLY_SERVER_SECRET_KEY.');
  if (key === DEMO_SERVER_SECRET_KEY && !(await demoPowers(request.headers))) {
    return new AppError('server_api_disabled', 'The demo server key works only from this machine: set TALLY_SERVER_SECRET_KEY.');
  }
  const sent = bearerToken(request.headers.get('authorization')) ?? '';
  if (!timingSafeEqual(digest(sent), digest(key))) {
    return new AppError('invalid_secret_server_key', 'Send the server secret key as "Authorization: Bearer <TALLY_SERVER_SECRET_KEY>".');
  }
  return null;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('invalid_input', `Invalid ${where}${issue?.path.length ? ` (${issue.path.join('.')})` : ''}: ${issue?.message ?? 'invalid'}.`);
}

/**
 * A route of the server REST API: authenticate the secret key (any case of the Bearer scheme),
 * read a body only as `application/json` (400 BODY_PARSING_ERROR otherwise, or when it is not
 * JSON), parse path, query and body with the zod schemas (400 SCHEMA_ERROR), run the handler, and
 * answer known errors in Stack Auth's shape with the code in `x-tally-known-error`.
 */
export function restRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R>(
  spec: Spec<P, Q, B>,
  handler: (deps: RestDeps, input: Input<P, Q, B>) => Promise<R>,
) {
  return async (request: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    const refused = await authenticate(request);
    if (refused) return refused.toResponse();
    try {
      const params = parse(spec.params, await context.params, 'path');
      const query = spec.query ? parse(spec.query, Object.fromEntries(new URL(request.url).searchParams), 'query') : undefined;
      let body: unknown;
      if (spec.body) {
        const text = await readTextUpTo(request, MAX_BODY_BYTES);
        if (text === null) throw new AppError('payload_too_large', 'Send at most 100 KB.');
        // A body must say it is JSON: text/plain or no Content-Type is what a cross-site form sends.
        if (text && !isJsonContentType(request.headers.get('content-type'))) {
          throw new AppError('body_parsing_error', 'Send the body as JSON with "Content-Type: application/json".');
        }
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : {};
        } catch {
          throw new AppError('body_parsing_error', 'The body is not valid JSON.');
        }
        body = parse(spec.body, json, 'body');
      }
      const { db, now } = getAppContext();
      const result = await handler({ db, now }, { params, query, body } as Input<P, Q, B>);
      mailNoticesAfterResponse();
      return Response.json(result);
    } catch (error) {
      if (error instanceof AppError) return error.toResponse();
      throw error;
    }
  };
}
