import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import type { ActionResult } from '@/lib/sdk/errors';
import { getSessionUser, type SessionUser } from './session';

function invalidInput(error: z.ZodError): ActionResult<never> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join('.') || 'form';
    fieldErrors[field] ??= issue.message;
  }
  const message = error.issues[0]?.message ?? 'Invalid input.';
  return { ok: false, error: { code: 'invalid_input', message, fieldErrors } };
}

/** Known failures become typed results; anything else is logged and reported without details. */
async function run<T>(handler: () => Promise<T> | T): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await handler() };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } };
    console.error(error);
    return { ok: false, error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } };
  }
}

/**
 * Every server action is reachable from any browser with any arguments, so each one is built
 * from this wrapper: parse with zod, require a session, then let the handler authorize and delegate.
 */
export function action<S extends z.ZodType, T>(schema: S, handler: (input: z.output<S>, ctx: { user: SessionUser }) => Promise<T> | T) {
  return async (input: unknown): Promise<ActionResult<T>> => {
    const user = await getSessionUser();
    if (!user) return { ok: false, error: { code: 'unauthenticated', message: 'Your session has ended. Please sign in again.' } };
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    return run(() => handler(parsed.data, { user }));
  };
}

/** For the few actions a signed-out visitor may call (sign in, sign up). */
export function publicAction<S extends z.ZodType, T>(schema: S, handler: (input: z.output<S>) => Promise<T> | T) {
  return async (input: unknown): Promise<ActionResult<T>> => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    return run(() => handler(parsed.data));
  };
}
