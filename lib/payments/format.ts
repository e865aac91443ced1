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

/** An item's name inside a sentence: "Use credits", "Use API calls" (an acronym keeps its case). */
export function itemNameInSentence(displayName: string): string {
  return /^[A-Z]{2,}\b/.test(displayName) ? displayName : displayName.charAt(0).toLowerCase() + displayName.slice(1);
}

/** A day as the pages show it ("Dec 26, 2026"), in UTC so server and browser agree. */
export function formatDate(ms: number): string {
  return new Date(ms).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}
