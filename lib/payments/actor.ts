/**
 * Who changed a quantity, as the ledger records it: a signed-in user, a team API key, Stripe (a
 * payment, a renewal, a refund) or Tally itself (expiries, free refills, server grants).
 */
export type Actor = `user:${string}` | `api_key:${string}` | 'stripe' | 'system';

export const userActor = (userId: string): Actor => `user:${userId}`;
export const apiKeyActor = (keyId: string): Actor => `api_key:${keyId}`;

export function parseActor(actor: string): { type: 'user' | 'api_key'; id: string } | { type: 'stripe' | 'system' } {
  if (actor.startsWith('user:')) return { type: 'user', id: actor.slice('user:'.length) };
  if (actor.startsWith('api_key:')) return { type: 'api_key', id: actor.slice('api_key:'.length) };
  return { type: actor === 'stripe' ? 'stripe' : 'system' };
}
