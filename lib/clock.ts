/** Milliseconds since the epoch. Passed in everywhere time matters, so tests and the demo can move it. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
