export const dynamic = 'force-dynamic';

/**
 * Does nothing but answer (POST reads the body first): the baseline `npm run bench` measures the
 * webhook and other request paths against, in the same run on the same server.
 */
export function GET() {
  return Response.json({ ok: true });
}

export async function POST(request: Request) {
  await request.text();
  return Response.json({ ok: true });
}
