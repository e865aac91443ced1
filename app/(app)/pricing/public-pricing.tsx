import Link from 'next/link';
import { catalog } from '@/lib/payments/catalog';
import { ProductSummary } from './product-summary';

const groups = [
  { customerType: 'user', heading: 'For you', note: 'Bought for your personal account.' },
  { customerType: 'team', heading: 'For teams', note: 'Bought by a team’s owner or admins, shared by its members.' },
] as const;

/** Pricing for a visitor: every plan and pack; choosing one goes through sign-up into its checkout. */
export function PublicPricing() {
  const products = Object.entries(catalog.products).filter(([, product]) => !product.serverOnly);
  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-2xl font-semibold">Pricing</h1>
        <p className="mt-1 text-muted-foreground">
          Plans refill your items every period; packs add once and never expire. Pay with a test card in the demo: nothing is charged.
        </p>
      </div>
      {groups.map((group) => (
        <section key={group.customerType} aria-labelledby={`pricing-${group.customerType}`} className="space-y-4">
          <div>
            <h2 id={`pricing-${group.customerType}`} className="text-xl font-semibold">
              {group.heading}
            </h2>
            <p className="text-sm text-muted-foreground">{group.note}</p>
          </div>
          <ul className="grid gap-4 md:grid-cols-3">
            {products
              .filter(([, product]) => product.customerType === group.customerType)
              .map(([id, product]) => (
                <li key={id} className="card flex flex-col" data-testid={`product-${id}`}>
                  <ProductSummary id={id} product={product} />
                  <div className="mt-auto pt-4">
                    {product.price === 'include-by-default' ? (
                      <p className="text-sm text-muted-foreground">Free: applies while no paid plan is active</p>
                    ) : (
                      <Link href={`/sign-up?next=${encodeURIComponent(`/checkout/start?product=${id}`)}`} className="btn-primary" data-testid={`get-${id}`}>
                        Get {product.displayName}
                      </Link>
                    )}
                  </div>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
