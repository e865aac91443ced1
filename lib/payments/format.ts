import type { Product } from './catalog-schema';
import { formatDuration } from './duration';

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(
    cents / 100,
  );
}

export function formatPrice(price: Product['price']): string {
  if (price === 'include-by-default') return 'Free';
  const amount = formatMoney(price.amount, price.currency);
  return price.interval ? `${amount} / ${formatDuration(price.interval)}` : amount;
}
