'use client';

import { redirect, usePathname } from 'next/navigation';
import { createContext, useContext, useEffect, useState } from 'react';
import { getTeam, listTeams } from '@/app/(app)/actions';
import { createCheckoutUrl } from '@/app/(app)/billing/actions';
import { getItem, listItems, listProducts } from '@/app/(app)/dashboard/actions';
import { createTallyClient, type CurrentUser, type TallyClient, type Transport } from '@/lib/sdk/client';
import { TallyError } from '@/lib/sdk/errors';

// `satisfies`: an action whose input or result drifts from what the SDK expects fails to compile here.
const transport = { getItem, listItems, listProducts, createCheckoutUrl, listTeams, getTeam } satisfies Transport;
const Context = createContext<TallyClient | null>(null);

/** Makes the signed-in user's SDK available to client components below it. */
export function TallyProvider({ user, children }: { user: { id: string; name: string; email: string }; children: React.ReactNode }) {
  const [client] = useState(() => createTallyClient(transport, user));
  useEffect(() => {
    // Back from Stripe's checkout or another tab: quantities may have changed meanwhile.
    const refresh = () => document.visibilityState === 'visible' && void client.store.invalidate();
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [client]);
  return <Context.Provider value={client}>{children}</Context.Provider>;
}

export function useTally(): TallyClient {
  const client = useContext(Context);
  if (!client) throw new Error('useTally() needs a <TallyProvider> above it');
  return client;
}

/**
 * Stack Auth's `useUser`: the signed-in user. Signed out, per `or`: null (the default), an error,
 * or a redirect to sign in and back, which never returns (Next.js's `redirect` during render).
 */
export function useUser(options: { or: 'redirect' | 'throw' }): CurrentUser;
export function useUser(options?: { or?: 'return-null' }): CurrentUser | null;
export function useUser(options?: { or?: 'redirect' | 'return-null' | 'throw' }): CurrentUser | null {
  const client = useContext(Context);
  const pathname = usePathname();
  if (client) return client.user;
  if (options?.or === 'redirect') redirect(`/sign-in?next=${encodeURIComponent(pathname ?? '/')}`);
  if (options?.or === 'throw') throw new TallyError({ code: 'unauthenticated', message: 'No signed-in user: useUser() needs a <TallyProvider> with one.' });
  return null;
}
