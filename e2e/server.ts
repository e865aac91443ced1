import { spawn } from 'node:child_process';

/**
 * Another `next start` of the suite's build, with its own environment: how a deployment's
 * configuration behaves at start-up. `exited` resolves with the exit code and everything printed.
 */
export function startServer(port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port)], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? 'data/e2e.db',
      STRIPE_EMULATOR_DATABASE: 'data/e2e-stripe-emulator.db',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  const url = `http://localhost:${port}`;
  return {
    url,
    exited,
    async ready() {
      for (let i = 0; i < 100; i++) {
        const ok = await fetch(`${url}/api/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`server on ${port} did not start:\n${output}`);
    },
    /** Everything printed so far. */
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
