import { getEnv } from '@/lib/env';
import { readTextUpTo } from '@/lib/http/body';

export const dynamic = 'force-dynamic';

const MAX_BODY_BYTES = 1_000_000;
const notFound = () => Response.json({ error: 'Not found' }, { status: 404 });

/**
 * Does nothing but answer (POST reads the body first): the baseline `npm run bench` measures the
 * webhook and other request paths against, in the same run on the same server. It exists only when
 * the bench starts the server with TALLY_BENCH_ROUTES=1; otherwise it is a 404 that reads nothing.
 */
export function GET() {
  if (!getEnv().benchRoutes) return notFound();
  return Response.json({ ok: true });
}

export async function POST(request: Request) {
  if (!getEnv().benchRoutes) return notFound();
  if ((await readTextUpTo(request, MAX_BODY_BYTES)) === null) return Response.json({ error: 'Send at most 1 MB.' }, { status: 413 });
  return Response.json({ ok: true });
}
