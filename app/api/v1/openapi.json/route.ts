import { getEnv } from '@/lib/env';
import { openApiDocument } from '@/lib/rest/openapi';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(openApiDocument(getEnv().appUrl));
}
