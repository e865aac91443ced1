'use client';

import { itemNameInSentence } from '@/lib/payments/format';
import type { ItemSources } from '@/lib/payments/item-sources';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { useTally } from '@/app/_sdk/tally-provider';
import type { Item } from '@/lib/customers/server-customer';
import type { CustomerRef } from '@/lib/payments/customer-ref';
import { spendItem } from './actions';
import { useHydrated } from '@/app/_components/use-hydrated';

type Message = { kind: 'ok' | 'error'; text: string; code?: string };

type Props = {
  customer: CustomerRef;
  initial: Item;
  allowance: number;
  /** The catalog's low-balance threshold of the item: at or below it, the card warns and links to more. */
  lowAt?: number;
  /** Where the quantity comes from and the next refill, as of the page's render. */
  sources?: ItemSources;
  defaultAmount: number;
  /** Seats are a capacity, not spent: members and pending invitations take them (lib/auth/teams.ts `describeSeats`). */
  seatsUsed?: { used: number; text: string; teamHref: string };
  apiUsage?: { callsThisMonth: number; apiHref: string };
};

const day = (ms: number) => new Date(ms).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/** One item of the selected customer, kept current by the SDK's useItem, with the spend demo (or, for seats, who takes them). */
export function ItemCard({ customer, initial, allowance, lowAt, sources, defaultAmount, seatsUsed, apiUsage }: Props) {
  const tally = useTally();
  const router = useRouter();
  const item = tally.customer(customer).useItem(initial.id, initial) ?? initial;
  const id = useId();
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const [message, setMessage] = useState<Message | null>(null);
  const name = itemNameInSentence(item.displayName);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const amount = new FormData(event.currentTarget).get('amount');
    startTransition(async () => {
      const result = await spendItem({ customer, itemId: item.id, amount });
      setMessage(
        result.ok ? { kind: 'ok', text: `Used ${result.data.spent} ${name}.` } : { kind: 'error', text: result.error.message, code: result.error.code },
      );
      await tally.store.invalidate();
      // The card's other lines (where the quantity comes from, the next refill) are the page's data:
      // re-render it, so everything on the card shows the same moment.
      router.refresh();
    });
  }

  // Seats are a capacity: their meter is how many are taken; other items', what is left of the plan's allowance.
  const percent = seatsUsed ? null : allowance > 0 ? Math.min(100, Math.max(0, Math.round((item.quantity / allowance) * 100))) : null;
  return (
    <li className="card" data-testid={`item-${item.id}`}>
      <h2 className="text-sm font-medium text-muted-foreground">{item.displayName}</h2>
      <p className="mt-1 text-3xl font-semibold tabular-nums" data-testid={`quantity-${item.id}`}>
        {item.quantity.toLocaleString('en-US')}
      </p>
      {percent !== null ? (
        <div className="mt-2">
          <div
            className="h-2 overflow-hidden rounded-full bg-muted"
            role="meter"
            aria-label={`${item.displayName} left of the plan's allowance`}
            aria-valuemin={0}
            aria-valuemax={allowance}
            aria-valuenow={Math.max(0, item.quantity)}
          >
            <div className="h-full rounded-full bg-chart" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-xs text-muted-foreground" data-testid={`allowance-${item.id}`}>
            {item.quantity <= allowance
              ? `of ${allowance.toLocaleString('en-US')} from your plan`
              : `more than your plan's ${allowance.toLocaleString('en-US')}: the rest is from packs or grants`}
          </p>
        </div>
      ) : null}
      {sources && sources.sources.length > 0 ? (
        <p className="mt-2 text-xs text-muted-foreground" data-testid={`sources-${item.id}`}>
          {sources.sources
            .map((source) => `${source.label} ${source.remaining.toLocaleString('en-US')}${source.expiresAt ? ` until ${day(source.expiresAt)}` : ''}`)
            .join(' · ')}
        </p>
      ) : null}
      {sources?.nextRefill ? (
        <p className="mt-1 text-xs text-muted-foreground" data-testid={`next-refill-${item.id}`}>
          Next refill: +{sources.nextRefill.quantity.toLocaleString('en-US')} on {day(sources.nextRefill.at)} ({sources.nextRefill.product})
        </p>
      ) : null}
      {item.quantity < 0 ? <p className="text-sm text-warning">Overdrawn: the next grant pays this off first.</p> : null}
      {!seatsUsed && lowAt !== undefined && item.quantity >= 0 && item.quantity <= lowAt ? (
        <p className="mt-2 text-sm text-warning" data-testid={`low-balance-${item.id}`}>
          Running low: {item.quantity.toLocaleString('en-US')} left.{' '}
          <Link href="/pricing" className="link">
            Get more
          </Link>
        </p>
      ) : null}
      {apiUsage ? (
        <p className="mt-3 text-sm text-muted-foreground" data-testid="api-usage">
          {apiUsage.callsThisMonth.toLocaleString('en-US')} {apiUsage.callsThisMonth === 1 ? 'call' : 'calls'} this month through the API.{' '}
          <Link href={apiUsage.apiHref} className="link">
            API keys and usage
          </Link>
        </p>
      ) : null}
      {seatsUsed ? (
        <div
          className="mt-2 h-2 overflow-hidden rounded-full bg-muted"
          role="meter"
          aria-label="Seats used"
          aria-valuemin={0}
          aria-valuemax={Math.max(0, item.quantity)}
          aria-valuenow={Math.min(seatsUsed.used, Math.max(0, item.quantity))}
        >
          <div
            className="h-full rounded-full bg-chart"
            style={{ width: `${item.quantity > 0 ? Math.min(100, Math.round((seatsUsed.used / item.quantity) * 100)) : 100}%` }}
          />
        </div>
      ) : null}
      {seatsUsed ? (
        <p className="mt-3 text-sm text-muted-foreground" data-testid="seats-used">
          {seatsUsed.text}.{' '}
          <Link href={seatsUsed.teamHref} className="link">
            Manage members
          </Link>
        </p>
      ) : (
        <form onSubmit={onSubmit} className="mt-4 space-y-2" noValidate>
          <div className="flex items-end gap-2">
            <div className="w-28">
              <label htmlFor={id} className="block text-xs font-medium text-muted-foreground">
                Amount
              </label>
              <input id={id} name="amount" type="number" min={1} step={1} defaultValue={defaultAmount} className="input" />
            </div>
            <button type="submit" className="btn-secondary" disabled={pending || !hydrated}>
              {pending ? 'Using…' : `Use ${name}`}
            </button>
          </div>
          {message?.kind === 'ok' ? (
            <p role="status" className="text-sm text-success">
              {message.text}
            </p>
          ) : null}
          {message?.kind === 'error' ? (
            <p role="alert" className="text-sm text-destructive">
              {message.text}{' '}
              {message.code === 'insufficient_quantity' ? (
                <Link href="/pricing" className="link">
                  Get more
                </Link>
              ) : null}
            </p>
          ) : null}
        </form>
      )}
    </li>
  );
}
