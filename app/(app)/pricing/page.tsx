import type { Metadata } from 'next';
import Link from 'next/link';
import { getCustomerContext } from '@/app/_server/selected-customer';
import { customerFor } from '@/app/_server/authorized-customer';
import { canManageTeam } from '@/lib/auth/roles';
import { getSessionUser } from '@/app/_server/session';
import { catalog } from '@/lib/payments/catalog';
import type { ProductListing } from '@/lib/payments/products';
import { BuyForm } from './buy-form';
import { ProductSummary } from './product-summary';
import { PublicPricing } from './public-pricing';

export const metadata: Metadata = { title: 'Pricing · Tally' };

function actionLabel(product: ProductListing, products: ProductListing[]): string {
  if (product.price !== 'include-by-default' && !product.price.interval) return 'Buy';
  const linePlan = products.find((p) => p.productLine && p.productLine === product.productLine && p.owned.length > 0 && !p.isDefault);
  return linePlan ? 'Switch plan' : 'Subscribe';
}

export default async function PricingPage({ searchParams }: { searchParams: Promise<{ buy?: string }> }) {
  if (!(await getSessionUser())) return <PublicPricing />;
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
        <p className="mt-1 text-muted-foreground">
          Plans and packs for {selected.type === 'user' ? 'your personal account' : `team ${selected.displayName}`}.{' '}
          {products.some((p) => p.owned.some((o) => o.source === 'stripe')) ? (
            <Link href="/billing" className="link">
              Manage billing
            </Link>
          ) : null}
        </p>
        {chosen && chosen.customerType !== selected.type ? (
          <p role="note" className="mt-3 rounded-md bg-info-surface px-3 py-2 text-sm text-info" data-testid="chosen-elsewhere">
            {chosen.displayName} is for {chosen.customerType === 'team' ? 'teams' : 'personal accounts'}:{' '}
            {chosen.customerType === 'team'
              ? 'create a team on the Teams page or pick one under “Acting as”, then come back here.'
              : 'switch “Acting as” to Personal.'}
          </p>
        ) : null}
        {!canBuy ? (
          <p role="note" className="mt-3 rounded-md bg-warning-surface px-3 py-2 text-sm text-warning">
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
              className={`card flex flex-col ${current ? 'ring-2 ring-ring' : isChosen ? 'ring-2 ring-amber-400' : ''}`}
              data-testid={`product-${product.id}`}
            >
              {isChosen ? (
                <p className="mb-2 text-sm font-medium text-warning" data-testid="chosen-product">
                  Your choice: continue to checkout below.
                </p>
              ) : null}
              <ProductSummary
                id={product.id}
                product={{ ...product, freeTrial: current ? null : product.freeTrial }}
                badge={current ? <span className="badge bg-info-surface text-link">Current plan</span> : null}
              />
              {product.stackable && product.owned.length > 0 ? (
                <p className="mt-2 text-sm text-muted-foreground">You have {product.owned.reduce((n, o) => n + o.quantity, 0)}.</p>
              ) : null}
              <div className="mt-auto pt-4">
                {product.isDefault ? (
                  <p className="text-sm text-muted-foreground">{current ? 'Included while you have no paid plan' : 'Applies when no paid plan is active'}</p>
                ) : current ? (
                  <Link href="/billing" className="btn-secondary">
                    Manage billing
                  </Link>
                ) : canBuy ? (
                  <>
                    {actionLabel(product, products) === 'Switch plan' ? (
                      <p className="mb-3 text-xs text-muted-foreground" data-testid={`switch-note-${product.id}`}>
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
