'use client';

import { useTransition } from 'react';
import { signOut } from '@/app/(auth)/actions';

export function SignOutButton() {
  const [pending, startTransition] = useTransition();
  return (
    <button type="button" className="btn-secondary py-1.5" disabled={pending} onClick={() => startTransition(async () => void (await signOut(null)))}>
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
