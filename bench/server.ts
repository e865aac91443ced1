// A production build and `next start` for the HTTP benchmarks. The build goes to its own directory
// (NEXT_DIST_DIR, read by next.config.ts), so a `npm run demo` serving `.next` from the same folder
// keeps working while the benchmarks run.
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const BENCH_DIST_DIR = '.next-bench';

/** Builds the code as it is now, unless BENCH_SKIP_BUILD asks to reuse the bench build. */
export function buildForBench() {
  if (process.env.BENCH_SKIP_BUILD && existsSync(`${BENCH_DIST_DIR}/BUILD_ID`)) return;
  execSync('npx next build', { stdio: 'ignore', env: { ...process.env, NEXT_DIST_DIR: BENCH_DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' } });
}

/** `next start` on the bench build; resolves once the bare route answers. */
export async function startNext(port: number, env: Record<string, string>) {
  const server = spawn('npx', ['next', 'start', '-p', String(port)], {
    env: { ...process.env, ...env, NEXT_DIST_DIR: BENCH_DIST_DIR, NEXT_TELEMETRY_DISABLED: '1', TALLY_BENCH_ROUTES: '1' },
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://localhost:${port}/api/bare`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (i > 300) throw new Error('next start did not come up');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { stop: () => process.kill(-server.pid!, 'SIGTERM') };
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
