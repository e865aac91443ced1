'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { useTally } from '@/app/_sdk/tally-provider';
import type { CustomerRef } from '@/lib/payments/customer-ref';
import { TallyError } from '@/lib/sdk/errors';

/** Opens the checkout at once; if that fails, says why and leaves the way back to pricing. */
export function ContinueToCheckout({ customer, productId, pricingHref }: { customer: CustomerRef; productId: string; pricingHref: string }) {
  const tally = useTally();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // once, also under React's development double effects
    started.current = true;
    tally
      .customer(customer)
      .createCheckoutUrl({ productId, returnUrl: '/dashboard' })
      // replace: Back from Stripe's page returns to where the buyer chose, not into this redirect.
      .then((url) => window.location.replace(url))
      .catch((caught: unknown) => setError(caught instanceof TallyError ? caught.message : 'Could not start checkout. Please try again.'));
  }, [tally, customer, productId]);

  return error ? (
    <>
      <p role="alert" className="text-destructive">
        {error}
      </p>
      <Link href={pricingHref} className="btn-secondary">
        Back to pricing
      </Link>
    </>
  ) : (
    <p role="status" className="text-muted-foreground">
      Opening the secure checkout…
    </p>
  );
}
