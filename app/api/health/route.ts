import { getDb } from '@/db';
import { AppError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

// Once the database has every migration of this build it keeps them: checked until then only.
const registry = globalThis as { tallyMigrated?: boolean };

/** Ready when the database answers and has this build's migrations: Playwright's webServer and load balancers wait for this. */
export async function GET() {
  const db = getDb();
  try {
    await db.ping();
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'database_unavailable')) throw error;
    return Response.json(
      { ok: false, code: 'DATABASE_UNAVAILABLE', error: 'The database is not answering.' },
      { status: 503, headers: { 'Retry-After': '5' } },
    );
  }
  if (!registry.tallyMigrated) {
    const pending = await db.pendingMigrations();
    if (pending > 0) return Response.json({ ok: false, error: `${pending} pending migrations: run npm run db:migrate` }, { status: 503 });
    registry.tallyMigrated = true;
  }
  return Response.json({ ok: true });
}
