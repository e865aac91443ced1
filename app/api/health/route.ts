import { getDb } from '@/db';

export const dynamic = 'force-dynamic';

/** Ready when the database answers: Playwright's webServer and load balancers wait for this. */
export async function GET() {
  await getDb().ping();
  return Response.json({ ok: true });
}
