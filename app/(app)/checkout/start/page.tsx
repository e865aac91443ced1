import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { customerFor } from '@/app/_server/authorized-customer';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { canManageTeam } from '@/lib/auth/roles';
import { formatPrice } from '@/lib/payments/format';
import { ContinueToCheckout } from './continue-to-checkout';

export const metadata: Metadata = { title: 'Checkout · Tally' };

/**
 * A product chosen before signing in (the home page, public pricing): straight on into its checkout,
 * for the personal account or the team being acted as. Anything that needs a choice first (a team
 * product without a team one manages, a plan already held) goes to pricing, which explains.
 * Opening a checkout charges nothing: the buyer still confirms on Stripe's page.
 */
export default async function CheckoutStartPage({ searchParams }: { searchParams: Promise<{ product?: string }> }) {
  const { product: productId } = await searchParams;
  const { user, selected } = await getCustomerContext();
  const pricing = typeof productId === 'string' && productId.length <= 100 ? `/pricing?buy=${encodeURIComponent(productId)}` : '/pricing';
  const teamAllowed = selected.type === 'team' && canManageTeam(selected.role);
  const customer = teamAllowed ? { type: 'team' as const, id: selected.id } : { type: 'user' as const, id: user.id };
  const products = await (await customerFor(user, customer, 'read')).listProducts();
  const listing = products.find((p) => p.id === productId);
  if (!listing || listing.isDefault || (listing.owned.length > 0 && !listing.stackable)) redirect(pricing);
  // Switching plans ends the current one: pricing says so, with the amounts, before the buyer leaves.
  const switching = listing.productLine && products.some((p) => p.productLine === listing.productLine && p.owned.length > 0 && !p.isDefault);
  if (switching) redirect(pricing);
  // Straight on only when the app itself led here (sign-up, sign-in, a plan on the home page); a
  // link from another site gets a button instead of opening a checkout on the visitor's behalf.
  const fromThisApp = (await headers()).get('sec-fetch-site') === 'same-origin';

  return (
    <div className="card mx-auto max-w-md space-y-3">
      <h1 className="text-xl font-semibold">Checkout: {listing.displayName}</h1>
      <p className="text-muted-foreground">
        {formatPrice(listing.price)}, for {customer.type === 'user' ? 'your personal account' : `team ${selected.displayName}`}.
      </p>
      <ContinueToCheckout customer={customer} productId={listing.id} pricingHref={pricing} auto={fromThisApp} />
    </div>
  );
}
