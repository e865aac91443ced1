/** Start-up checks and the emulator live in ./instrumentation-node.ts: only the Node.js server runs them. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startNodeServer } = await import('./instrumentation-node');
  await startNodeServer();
}
