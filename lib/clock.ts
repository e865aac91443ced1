/** Milliseconds since the epoch. Passed in everywhere time matters, so tests and the demo can move it. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

const registry = globalThis as { tallyClockOffset?: () => number };

/**
 * In emulator mode the emulator's test clock moves the app's time too ("advance a period" renews
 * subscriptions and refills items alike). Emulator start-up installs the offset here, so the app's
 * code never imports the emulator. On globalThis: Next.js may load this module more than once.
 */
export function installClockOffset(offset: () => number): void {
  registry.tallyClockOffset = offset;
}

/** The app's time: the wall clock, plus the emulator's test-clock offset when one is installed. */
export const appClock: Clock = () => Date.now() + (registry.tallyClockOffset?.() ?? 0);
