import { queryCount } from '@/db';
import { getEnv } from '@/lib/env';

export const dynamic = 'force-dynamic';

/**
 * What the server has sent its database so far (`QueryCount`): the bench reads it before and after
 * one request to print that request's round trips. Like /api/bare, it exists only with TALLY_BENCH_ROUTES=1.
 */
export function GET() {
  if (!getEnv().benchRoutes) return Response.json({ error: 'Not found' }, { status: 404 });
  return Response.json(queryCount());
}
