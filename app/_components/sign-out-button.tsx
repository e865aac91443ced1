'use client';

import { useTransition } from 'react';
import { signOut } from '@/app/(auth)/actions';
import { useHydrated } from '@/app/_components/use-hydrated';

export function SignOutButton() {
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      className="btn-secondary py-1.5"
      disabled={pending || !hydrated}
      onClick={() => startTransition(async () => void (await signOut(null)))}
    >
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
