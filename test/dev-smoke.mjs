// `npm run dev` as a forker types it on a fresh clone, on another port and without APP_URL: it must
// migrate and seed a new database, answer the health route and pages, and log no error. Then
// production (`next start`, on the build the e2e suite made) must refuse a database with pending
// migrations instead of migrating it. Run by .ci/run (`npm run test:dev`).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PORT = 3400;
const base = `http://localhost:${PORT}`;
const dir = mkdtempSync(path.join(tmpdir(), 'tally-dev-'));
const env = { ...process.env, DATABASE_URL: path.join(dir, 'tally.db'), NEXT_TELEMETRY_DISABLED: '1' };
delete env.APP_URL;
delete env.PORT;
const dev = spawn('npm', ['run', 'dev', '--', '-p', String(PORT)], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
dev.stdout.on('data', (chunk) => (log += chunk));
dev.stderr.on('data', (chunk) => (log += chunk));

async function waitFor(url, ok) {
  for (let i = 0; i < 240; i++) {
    const response = await fetch(url).catch(() => null);
    if (response && (await ok(response))) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer as expected`);
}

let failed = false;
try {
  await waitFor(`${base}/api/health`, async (r) => r.status === 200 && (await r.json()).ok === true);
  await waitFor(`${base}/sign-in`, async (r) => r.status === 200 && (await r.text()).includes('Sign in'));
  await waitFor(`${base}/`, async (r) => r.status === 200);
  await new Promise((resolve) => setTimeout(resolve, 6000)); // the emulator's timer ticks a few times
  const errors = log.split('\n').filter((line) => /error/i.test(line));
  if (errors.length) throw new Error(`errors in the dev server's log:\n${errors.join('\n')}`);
  if (!log.includes('Seeded')) throw new Error('the demo users were not seeded');
  console.log(`npm run dev on a fresh database, port ${PORT}, no APP_URL: migrated, seeded, health and pages answer, no errors logged`);

  const start = spawn('npx', ['next', 'start', '-p', String(PORT + 10)], {
    env: { ...env, DATABASE_URL: path.join(dir, 'unmigrated.db') },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let startLog = '';
  start.stdout.on('data', (chunk) => (startLog += chunk));
  start.stderr.on('data', (chunk) => (startLog += chunk));
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => (process.kill(-start.pid, 'SIGTERM'), resolve('still running after 60 s')), 60_000);
    start.on('exit', (exitCode) => (clearTimeout(timer), resolve(exitCode)));
  });
  if (code !== 1 || !startLog.includes('pending migration')) throw new Error(`next start on an unmigrated database: ${code}\n${startLog}`);
  console.log('next start on an unmigrated database: refused, exit 1, "run `npm run db:migrate`"');
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? error.message : error);
  console.error(`--- dev server log ---\n${log}`);
} finally {
  process.kill(-dev.pid, 'SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
