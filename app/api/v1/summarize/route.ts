import { mailNoticesAfterResponse } from '@/app/_server/notices';
import { getAppContext } from '@/app/_server/app-context';
import { meteredCall } from '@/lib/api/metered';
import { AppError } from '@/lib/errors';
import { summarize, summarizeInput } from '@/lib/api/summarize';
import { readTextUpTo } from '@/lib/http/body';

const MAX_BODY_BYTES = 100_000;

/**
 * The metered API's sample operation: `POST /api/v1/summarize` with `{ "text": "…" }` and a team
 * API key. Each answered call costs the team one API call (lib/api/metered.ts says how).
 */
export async function POST(request: Request) {
  const body = await readTextUpTo(request, MAX_BODY_BYTES);
  if (body === null) return new AppError('payload_too_large', 'Send at most 100 KB.').toResponse();
  const { db, now, appUrl } = getAppContext();
  const answer = await meteredCall(
    { db, now, appUrl },
    {
      path: '/api/v1/summarize',
      authorization: request.headers.get('authorization'),
      idempotencyKey: request.headers.get('idempotency-key'),
      body,
    },
    { input: summarizeInput, run: summarize },
  );
  mailNoticesAfterResponse();
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}
