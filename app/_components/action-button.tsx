'use client';

import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/sdk/errors';
import { useHydrated } from '@/app/_components/use-hydrated';

type Props<I, T> = {
  action: (input: I) => Promise<ActionResult<T>>;
  input: I;
  label: string;
  pendingLabel: string;
  /** The action returns a URL to go to (Stripe checkout, billing portal). */
  navigate?: boolean;
  className?: string;
  successMessage?: string;
};

/** A button that runs one server action, with a pending state and the action's error beside it. */
export function ActionButton<I, T>({ action, input, label, pendingLabel, navigate, className, successMessage }: Props<I, T>) {
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const [result, setResult] = useState<ActionResult<T> | null>(null);

  function onClick() {
    startTransition(async () => {
      const next = await action(input);
      if (next.ok && navigate && typeof next.data === 'string') {
        window.location.assign(next.data);
        return;
      }
      setResult(next);
    });
  }

  return (
    <div className="space-y-1">
      <button type="button" onClick={onClick} disabled={pending || !hydrated} className={className ?? 'btn-primary'}>
        {pending ? pendingLabel : label}
      </button>
      {result && !result.ok ? (
        <p role="alert" className="text-sm text-destructive">
          {result.error.message}
        </p>
      ) : null}
      {result?.ok && successMessage ? (
        <p role="status" className="text-sm text-success">
          {successMessage}
        </p>
      ) : null}
    </div>
  );
}
