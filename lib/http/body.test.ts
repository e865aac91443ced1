import { describe, expect, it } from 'vitest';
import { readTextUpTo } from './body';

/** A body sent in chunks with no Content-Length, as a chunked upload arrives; counts what was pulled. */
function streamed(chunks: number, chunkBytes: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(chunkBytes).fill(97));
    },
  });
  const request = new Request('http://localhost/', { method: 'POST', body, duplex: 'half' } as RequestInit);
  return { request, pulled: () => pulled };
}

describe('readTextUpTo', () => {
  it('returns a body within the limit, multi-byte characters intact', async () => {
    const request = new Request('http://localhost/', { method: 'POST', body: 'héllo ✓' });
    expect(await readTextUpTo(request, 100)).toBe('héllo ✓');
  });

  it('refuses a declared length over the limit without reading the body', async () => {
    const { request, pulled } = streamed(1000, 1024);
    request.headers.set('content-length', String(1000 * 1024));
    expect(await readTextUpTo(request, 10_000)).toBeNull();
    expect(pulled()).toBeLessThanOrEqual(1);
  });

  it('stops reading an undeclared body as soon as it passes the limit', async () => {
    const { request, pulled } = streamed(100_000, 1024); // 100 MB if read to the end
    expect(await readTextUpTo(request, 1_000_000)).toBeNull();
    expect(pulled()).toBeLessThan(1000);
  });
});
