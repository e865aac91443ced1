import { getDb } from '@/db';

export const dynamic = 'force-dynamic';

/** Ready when the database answers: Playwright's webServer and load balancers wait for this. */
export async function GET() {
  await getDb().ping();
  return Response.json({ ok: true });
}

/** Reads the body and answers 200: the bare-route baseline `npm run bench` compares the webhook with. */
export async function POST(request: Request) {
  await request.text();
  return Response.json({ ok: true });
}
