'use client';

import Link from 'next/link';
import { useId, useState, useTransition } from 'react';
import type { CustomerRef } from '@/lib/payments/customer-ref';
import { spendItem } from './actions';

type Message = { kind: 'ok' | 'error'; text: string; code?: string };

export function SpendForm({ customer, itemId, displayName, defaultAmount }: { customer: CustomerRef; itemId: string; displayName: string; defaultAmount: number }) {
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<Message | null>(null);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const amount = new FormData(event.currentTarget).get('amount');
    startTransition(async () => {
      const result = await spendItem({ customer, itemId, amount });
      setMessage(result.ok ? { kind: 'ok', text: `Used ${result.data.spent} ${displayName.toLowerCase()}.` } : { kind: 'error', text: result.error.message, code: result.error.code });
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-4 space-y-2" noValidate>
      <div className="flex items-end gap-2">
        <div className="w-28">
          <label htmlFor={id} className="block text-xs font-medium text-slate-600">
            Amount
          </label>
          <input id={id} name="amount" type="number" min={1} step={1} defaultValue={defaultAmount} className="input" />
        </div>
        <button type="submit" className="btn-secondary" disabled={pending}>
          {pending ? 'Using…' : `Use ${displayName.toLowerCase()}`}
        </button>
      </div>
      {message?.kind === 'ok' ? (
        <p role="status" className="text-sm text-emerald-700">
          {message.text}
        </p>
      ) : null}
      {message?.kind === 'error' ? (
        <p role="alert" className="text-sm text-red-700">
          {message.text}{' '}
          {message.code === 'insufficient_quantity' ? (
            <Link href="/pricing" className="link">
              Get more
            </Link>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}
