'use client';

import { useId, useState, useTransition } from 'react';
import type { CustomerRef } from '@/lib/payments/customer-ref';
import { useTally } from '@/app/_sdk/tally-provider';
import { TallyError } from '@/lib/sdk/errors';
import { useHydrated } from '@/app/_components/use-hydrated';

/** Buy or subscribe: asks the server for a Stripe Checkout URL and goes there. */
export function BuyForm({
  customer,
  productId,
  productName,
  label,
  stackable,
}: {
  customer: CustomerRef;
  productId: string;
  productName: string;
  label: string;
  stackable: boolean;
}) {
  const tally = useTally();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const quantity = Number(new FormData(event.currentTarget).get('quantity') ?? 1);
    startTransition(async () => {
      try {
        // Stack Auth's documented flow, through the SDK: a Stripe-hosted checkout URL, then go there.
        window.location.href = await tally.customer(customer).createCheckoutUrl({ productId, quantity, returnUrl: '/dashboard' });
      } catch (caught) {
        setError(caught instanceof TallyError ? caught.message : 'Could not start checkout. Please try again.');
      }
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-2" noValidate>
      <div className="flex items-end gap-2">
        {stackable ? (
          <div className="w-20">
            <label htmlFor={id} className="block text-xs font-medium text-muted-foreground">
              Quantity
            </label>
            <input id={id} name="quantity" type="number" min={1} max={100} defaultValue={1} className="input" />
          </div>
        ) : null}
        <button type="submit" className="btn-primary" disabled={pending || !hydrated} aria-label={`${label}: ${productName}`}>
          {pending ? 'Opening checkout…' : label}
        </button>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </form>
  );
}
