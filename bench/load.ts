// One round of autocannon against a running server, counted and timed to its last answer.
import autocannon from 'autocannon';
import { median } from './server';

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

type QueryCount = { roundTrips: number; statements: number };

/**
 * The database work of one request: the server's query counter (/api/bare/queries) read before and
 * after each of `times` requests sent one at a time; the median of each figure. Work the request
 * leaves running after its answer (hooks, mail) is counted if it ends within 100 ms.
 */
export async function queriesPerRequest(baseUrl: string, send: () => Promise<unknown>, times = 5): Promise<QueryCount> {
  const read = async () => (await (await fetch(`${baseUrl}/api/bare/queries`)).json()) as QueryCount;
  const roundTrips: number[] = [];
  const statements: number[] = [];
  for (let i = 0; i < times; i++) {
    const before = await read();
    await send();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await read();
    roundTrips.push(after.roundTrips - before.roundTrips);
    statements.push(after.statements - before.statements);
  }
  return { roundTrips: median(roundTrips), statements: median(statements) };
}

/** One request of a cannon, its body read to the end. */
export async function sendOnce(baseUrl: string, { url, method = 'GET', headers, body }: Cannon): Promise<void> {
  await (await fetch(`${baseUrl}${url}`, { method, headers, body, redirect: 'manual' })).text();
}

/** The line every HTTP bench prints per measured request, so a regression in database work shows. */
export function describeQueries(name: string, dialect: string, { roundTrips, statements }: QueryCount, per = 'per request'): string {
  return dialect === 'postgres'
    ? `queries ${name} (${dialect}): ${roundTrips} round trips, ${statements} statements ${per}`
    : `queries ${name} (${dialect}): ${statements} statements ${per}`;
}
