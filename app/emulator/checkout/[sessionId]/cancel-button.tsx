'use client';

import { useTransition } from 'react';
import type { ActionResult } from '@/lib/sdk/errors';

export function CancelButton({ action, sessionId }: { action: (input: { sessionId: string }) => Promise<ActionResult<never>>; sessionId: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      className="text-sm text-muted-foreground underline"
      disabled={pending}
      onClick={() => startTransition(async () => void (await action({ sessionId })))}
    >
      {pending ? 'Returning…' : '← Cancel and return'}
    </button>
  );
}
