import type { Metadata } from 'next';
import Link from 'next/link';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { customerFor } from '@/app/_server/authorized-customer';
import { canManageTeam } from '@/lib/auth/roles';
import { catalog } from '@/lib/payments/catalog';
import { formatDuration } from '@/lib/payments/duration';
import { formatPrice } from '@/lib/payments/format';
import type { ProductListing } from '@/lib/payments/products';
import { BuyForm } from './buy-form';

export const metadata: Metadata = { title: 'Pricing · Tally' };

function describeItems(product: ProductListing): string[] {
  return Object.entries(product.includedItems).map(([itemId, included]) => {
    const plural = catalog.items[itemId]?.displayName.toLowerCase() ?? itemId;
    const name = included.quantity === 1 ? plural.replace(/s$/, '') : plural;
    const every = included.repeat === 'never' ? '' : ` every ${formatDuration(included.repeat)}`;
    const expiry =
      included.expires === 'never' && included.repeat === 'never' ? ', never expire' : included.expires === 'when-repeated' ? ', unused ones reset' : '';
    return `${included.quantity.toLocaleString('en-US')} ${name}${every}${expiry}`;
  });
}

function actionLabel(product: ProductListing, products: ProductListing[]): string {
  if (product.price !== 'include-by-default' && !product.price.interval) return 'Buy';
  const linePlan = products.find((p) => p.productLine && p.productLine === product.productLine && p.owned.length > 0 && !p.isDefault);
  return linePlan ? 'Switch plan' : 'Subscribe';
}

export default async function PricingPage({ searchParams }: { searchParams: Promise<{ buy?: string }> }) {
  const { buy } = await searchParams;
  const { user, selected } = await getCustomerContext();
  const products = await (await customerFor(user, selected, 'read')).listProducts();
  const canBuy = selected.type === 'user' || canManageTeam(selected.role);
  const customer = { type: selected.type, id: selected.id };
  // Chosen on the home page (through sign-up): that product is marked, or we say where it is sold.
  const chosen = typeof buy === 'string' && Object.hasOwn(catalog.products, buy) ? { id: buy, ...catalog.products[buy]! } : null;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Pricing</h1>
        <p className="mt-1 text-slate-600">
          Plans and packs for {selected.type === 'user' ? 'your personal account' : `team ${selected.displayName}`}.{' '}
          {products.some((p) => p.owned.some((o) => o.source === 'stripe')) ? (
            <Link href="/billing" className="link">
              Manage billing
            </Link>
          ) : null}
        </p>
        {chosen && chosen.customerType !== selected.type ? (
          <p role="note" className="mt-3 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="chosen-elsewhere">
            {chosen.displayName} is for {chosen.customerType === 'team' ? 'teams' : 'personal accounts'}:{' '}
            {chosen.customerType === 'team'
              ? 'create a team on the Teams page or pick one under “Acting as”, then come back here.'
              : 'switch “Acting as” to Personal.'}
          </p>
        ) : null}
        {!canBuy ? (
          <p role="note" className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
            Only team owners and admins can buy for {selected.displayName}. You can still use the team&apos;s items.
          </p>
        ) : null}
      </div>
      <ul className="grid gap-4 md:grid-cols-3">
        {products.map((product) => {
          const current = product.owned.length > 0 && !product.stackable;
          const isChosen = chosen?.id === product.id && !current;
          return (
            <li
              key={product.id}
              className={`card flex flex-col ${current ? 'ring-2 ring-indigo-500' : isChosen ? 'ring-2 ring-amber-400' : ''}`}
              data-testid={`product-${product.id}`}
            >
              {isChosen ? (
                <p className="mb-2 text-sm font-medium text-amber-800" data-testid="chosen-product">
                  Your choice: continue to checkout below.
                </p>
              ) : null}
              <div className="flex items-start justify-between gap-2">
                <h2 className="text-lg font-semibold">{product.displayName}</h2>
                {current ? <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700">Current plan</span> : null}
              </div>
              <p className="mt-1 text-2xl font-semibold">{formatPrice(product.price)}</p>
              {product.freeTrial && !current ? (
                <p className="mt-1 text-sm font-medium text-emerald-700" data-testid={`trial-offer-${product.id}`}>
                  {product.freeTrial[0]}-{product.freeTrial[1]} free trial: nothing charged today
                </p>
              ) : null}
              <p className="mt-2 text-sm text-slate-600">{product.description}</p>
              <ul className="mt-3 list-inside list-disc text-sm text-slate-700">
                {describeItems(product).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              {product.stackable && product.owned.length > 0 ? (
                <p className="mt-2 text-sm text-slate-600">You have {product.owned.reduce((n, o) => n + o.quantity, 0)}.</p>
              ) : null}
              <div className="mt-auto pt-4">
                {product.isDefault ? (
                  <p className="text-sm text-slate-500">{current ? 'Included while you have no paid plan' : 'Applies when no paid plan is active'}</p>
                ) : current ? (
                  <Link href="/billing" className="btn-secondary">
                    Manage billing
                  </Link>
                ) : canBuy ? (
                  <>
                    {actionLabel(product, products) === 'Switch plan' ? (
                      <p className="mb-3 text-xs text-slate-600" data-testid={`switch-note-${product.id}`}>
                        Switching ends your current plan now: Stripe credits its unused time to your balance, which pays toward your next invoice, and{' '}
                        {product.displayName} is charged in full at checkout.
                      </p>
                    ) : null}
                    <BuyForm
                      customer={customer}
                      productId={product.id}
                      productName={product.displayName}
                      label={actionLabel(product, products)}
                      stackable={product.stackable}
                    />
                  </>
                ) : (
                  <button type="button" className="btn-secondary" disabled>
                    Owners and admins only
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
