'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useHydrated } from '@/app/_components/use-hydrated';
import { useTally } from '@/app/_sdk/tally-provider';
import type { CustomerRef } from '@/lib/payments/customer-ref';
import { TallyError } from '@/lib/sdk/errors';

/**
 * Opens the checkout: at once when `auto`, else on a click. If that fails, says why and leaves the
 * way back to pricing.
 */
export function ContinueToCheckout({
  customer,
  productId,
  pricingHref,
  auto,
}: {
  customer: CustomerRef;
  productId: string;
  pricingHref: string;
  auto: boolean;
}) {
  const tally = useTally();
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(auto);
  const started = useRef(false);
  const open = useCallback(() => {
    if (started.current) return; // once, also under React's development double effects
    started.current = true;
    setOpening(true);
    tally
      .customer(customer)
      .createCheckoutUrl({ productId, returnUrl: '/dashboard' })
      // replace: Back from Stripe's page returns to where the buyer chose, not into this page.
      .then((url) => window.location.replace(url))
      .catch((caught: unknown) => {
        setError(caught instanceof TallyError ? caught.message : 'Could not start checkout. Please try again.');
        setOpening(false);
      });
  }, [tally, customer, productId]);
  useEffect(() => {
    if (auto) open();
  }, [auto, open]);

  if (error) {
    return (
      <>
        <p role="alert" className="text-destructive">
          {error}
        </p>
        <Link href={pricingHref} className="btn-secondary">
          Back to pricing
        </Link>
      </>
    );
  }
  return opening ? (
    <p role="status" className="text-muted-foreground">
      Opening the secure checkout…
    </p>
  ) : (
    <button type="button" className="btn-primary" onClick={open} disabled={!hydrated}>
      Continue to checkout
    </button>
  );
}
