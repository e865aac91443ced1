import { describe, expect, it } from 'vitest';
import { parseStripeForm } from './form';

describe('parseStripeForm', () => {
  it('rebuilds nested objects and arrays from bracketed keys', () => {
    const params = new URLSearchParams(
      'mode=payment&metadata[customerId]=u1&line_items[0][price_data][currency]=usd&line_items[0][quantity]=2&expand[0]=latest_invoice&expand[1]=customer',
    );
    expect(parseStripeForm(params)).toEqual({
      mode: 'payment',
      metadata: { customerId: 'u1' },
      line_items: [{ price_data: { currency: 'usd' }, quantity: '2' }],
      expand: ['latest_invoice', 'customer'],
    });
  });
});
