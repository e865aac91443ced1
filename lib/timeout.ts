/**
 * Runs `work` and fails once it has taken `ms`. A promise cannot be cancelled from outside, so at
 * that moment the work's signal aborts (with a `TimeoutError`, as `AbortSignal.timeout` would):
 * work that passes it on (`fetch`, a child process) or checks it stops; work that ignores it runs
 * on, unobserved.
 */
export async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new DOMException(`gave up after ${ms} ms`, 'TimeoutError');
      reject(reason); // first: work that settles when told to stop has still failed
      controller.abort(reason);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
