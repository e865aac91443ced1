import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { GET as queries } from './queries/route';
import { GET, POST } from './route';

describe('/api/bare, the benchmarks’ baseline route', () => {
  it('does not exist unless the bench asks for it: 404 without reading the body', async () => {
    expect((await GET()).status).toBe(404);
    let pulled = 0;
    const body = new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1 << 20));
        if (pulled > 256) controller.close();
      },
    });
    const response = await POST(new Request('http://localhost/api/bare', { method: 'POST', body, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(404);
    expect(pulled).toBeLessThanOrEqual(1); // at most the stream's first chunk, never 256 MB
  });

  it('keeps the query counter to itself too: 404 unless the bench asks for it', async () => {
    expect((await queries()).status).toBe(404);
  });

  it('is switched on by TALLY_BENCH_ROUTES=1 only', () => {
    expect(parseEnv({}).benchRoutes).toBe(false);
    expect(parseEnv({ TALLY_BENCH_ROUTES: '1' }).benchRoutes).toBe(true);
  });
});
