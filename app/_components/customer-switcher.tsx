'use client';

import { useId, useState, useTransition } from 'react';
import { selectCustomer } from '@/app/(app)/actions';

type Option = { key: string; label: string };

export function CustomerSwitcher({ options, selectedKey }: { options: Option[]; selectedKey: string }) {
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function onChange(event: React.ChangeEvent<HTMLSelectElement>) {
    const customer = event.target.value;
    startTransition(async () => {
      const result = await selectCustomer({ customer });
      setError(result.ok ? null : result.error.message);
    });
  }

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm text-muted-foreground">
        Acting as
      </label>
      <select id={id} value={selectedKey} onChange={onChange} disabled={pending} aria-busy={pending} className="input w-auto py-1.5">
        {options.map((option) => (
          <option key={option.key} value={option.key}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? (
        <span role="alert" className="text-sm text-destructive">
          {error}
        </span>
      ) : null}
    </div>
  );
}
