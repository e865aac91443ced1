import 'server-only';
import { headers } from 'next/headers';
import { getEnv } from '@/lib/env';
import { isLoopbackRequest } from '@/lib/http/peer';

/**
 * Demo powers (the Stripe emulator's pages and actions, the demo mailbox, the published server
 * key, the test clock) answer only requests from this machine, by their socket, unless
 * TALLY_DEMO=1 asked for a demo on the network: `next start` listens on every interface, and the
 * mailbox holds password-reset links.
 */
export async function demoPowers(requestHeaders?: Headers): Promise<boolean> {
  return getEnv().demoOnNetwork || isLoopbackRequest(requestHeaders ?? (await headers()));
}
