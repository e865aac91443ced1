import type { CustomerRef } from './payments/customer-ref';

/** Milliseconds since the epoch. Passed in everywhere time matters, so tests and the demo can move it. */
export type Clock = () => number;

/**
 * A customer's time: Stripe's test clocks belong to customers, so in emulator mode each customer's
 * time runs ahead by its own clock's offset. Without a customer: the wall clock.
 */
export type CustomerClock = (customer?: CustomerRef) => number;

export const systemClock: Clock = () => Date.now();

const registry = globalThis as { tallyClockOffset?: (customer: CustomerRef) => number };

/**
 * In emulator mode a customer's test clock moves its subscriptions and its item time alike ("advance
 * to next period" renews and refills). Emulator start-up installs the offsets here, so the app's
 * code never imports the emulator. On globalThis: Next.js may load this module more than once.
 */
export function installClockOffset(offset: (customer: CustomerRef) => number): void {
  registry.tallyClockOffset = offset;
}

/** The app's time for a customer: the wall clock, plus that customer's test-clock offset when one is installed. */
export const appClock: CustomerClock = (customer) => Date.now() + (customer && registry.tallyClockOffset ? registry.tallyClockOffset(customer) : 0);
