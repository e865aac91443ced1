// One round of autocannon against a running server, counted and timed to its last answer.
import autocannon from 'autocannon';

/**
 * `expect`: text every answer must contain (the spend's result); answers without it are failures.
 * `amount`: send exactly this many requests (not for a duration), so none is in flight when the
 * round ends and the ledger can be checked against the answers exactly (then `seconds` scales it
 * against `nominalSeconds`). `onStatus` sees every answer's status.
 */
export type Cannon = {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  expect?: string;
  amount?: number;
  onStatus?: (status: number) => void;
};
export type Round = { rps: number; p99: number; ok: number; errors: number; sample?: string };

export async function loadRound(
  baseUrl: string,
  connections: number,
  { url, method = 'GET', headers, body, expect, amount, onStatus }: Cannon,
  seconds: number,
  nominalSeconds = seconds,
): Promise<Round> {
  let ok = 0;
  let wrong = 0;
  let sample: string | undefined;
  const start = performance.now();
  let lastAnswer = start;
  const result = await autocannon({
    url: `${baseUrl}${url}`,
    connections,
    ...(amount ? { amount: Math.round((amount * seconds) / nominalSeconds) } : { duration: seconds }),
    requests: [
      {
        method,
        headers,
        body,
        onResponse: (status, responseBody) => {
          lastAnswer = performance.now();
          onStatus?.(status);
          if (status < 300 && (!expect || responseBody.includes(expect))) ok++;
          else {
            wrong++;
            sample ??= `${status} ${responseBody.slice(0, 300)}`;
          }
        },
      },
    ],
  });
  // Timed here, to the last answer: autocannon ends a round on its one-second ticker.
  return { rps: result.requests.total / ((lastAnswer - start) / 1000), p99: result.latency.p99, ok, errors: wrong + result.errors + result.timeouts, sample };
}
