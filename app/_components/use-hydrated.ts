import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/**
 * False in the server's HTML, true once React runs in the browser. Buttons whose work is JavaScript
 * stay disabled until then: a click before hydration would do nothing, and a form submitted
 * natively would put what was typed (a password) in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
