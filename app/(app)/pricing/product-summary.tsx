import { catalog } from '@/lib/payments/catalog';
import { formatDuration } from '@/lib/payments/duration';
import { formatPrice } from '@/lib/payments/format';
import type { ProductListing } from '@/lib/payments/products';

type Summary = Pick<ProductListing, 'displayName' | 'description' | 'price' | 'includedItems'> & { freeTrial?: ProductListing['freeTrial'] };

function describeItems(includedItems: Summary['includedItems']): string[] {
  return Object.entries(includedItems).map(([itemId, included]) => {
    // "Credits" reads "credits" mid-sentence; "API calls" stays as it is.
    const plural = catalog.items[itemId]?.displayName.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase()) ?? itemId;
    const name = included.quantity === 1 ? plural.replace(/s$/, '') : plural;
    const every = included.repeat === 'never' ? '' : ` every ${formatDuration(included.repeat)}`;
    const expiry =
      included.expires === 'never' && included.repeat === 'never' ? ', never expire' : included.expires === 'when-repeated' ? ', unused ones reset' : '';
    return `${included.quantity.toLocaleString('en-US')} ${name}${every}${expiry}`;
  });
}

/** What a product is and gives, the same for visitors and customers; the card's action differs. */
export function ProductSummary({ id, product, badge }: { id: string; product: Summary; badge?: React.ReactNode }) {
  return (
    <>
      <div className="flex items-start justify-between gap-2">
        <h2 className="text-lg font-semibold">{product.displayName}</h2>
        {badge}
      </div>
      <p className="mt-1 text-2xl font-semibold">{formatPrice(product.price)}</p>
      {product.freeTrial ? (
        <p className="mt-1 text-sm font-medium text-success" data-testid={`trial-offer-${id}`}>
          {product.freeTrial[0]}-{product.freeTrial[1]} free trial: nothing charged today
        </p>
      ) : null}
      <p className="mt-2 text-sm text-muted-foreground">{product.description}</p>
      <ul className="mt-3 list-inside list-disc text-sm text-foreground">
        {describeItems(product.includedItems).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
}
