import { describe, expect, it } from 'vitest';
import { catalog } from './catalog';
import { parseCatalog } from './catalog-schema';

const base = () => ({
  items: { credits: { displayName: 'Credits', customerType: 'user' }, seats: { displayName: 'Seats', customerType: 'team' } },
  products: {
    free: { displayName: 'Free', customerType: 'user', price: 'include-by-default', productLine: 'plan', includedItems: { credits: { quantity: 5 } } },
  } as Record<string, unknown>,
});

const problems = (input: unknown) => {
  try {
    parseCatalog(input);
    return 'valid';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('catalog validation', () => {
  it('accepts the demo catalog', () => {
    expect(Object.keys(catalog.products)).toContain('pro_monthly');
    expect(catalog.products.credit_pack?.includedItems.credits).toEqual({ quantity: 500, repeat: 'never', expires: 'never' });
  });

  it('names the product and field of an unknown item or an item of the other customer type', () => {
    const input = base();
    input.products.pro = {
      displayName: 'Pro',
      customerType: 'user',
      price: { amount: 100, currency: 'usd' },
      includedItems: { gems: { quantity: 1 }, seats: { quantity: 1 } },
    };
    const message = problems(input);
    expect(message).toContain('products.pro.includedItems.gems: unknown item "gems"');
    expect(message).toContain('products.pro.includedItems.seats: item "seats" is for teams, the product for users');
  });

  it('rejects negative or fractional quantities and prices', () => {
    const input = base();
    input.products.pro = { displayName: 'Pro', customerType: 'user', price: { amount: 9.5, currency: 'usd' }, includedItems: { credits: { quantity: -1 } } };
    const message = problems(input);
    expect(message).toMatch(/products\.pro\.price(\.amount)?: /);
    expect(message).toMatch(/products\.pro\.includedItems\.credits\.quantity: /);
  });

  it('allows one default product per line', () => {
    const input = base();
    input.products.basic = { displayName: 'Basic', customerType: 'user', price: 'include-by-default', productLine: 'plan', includedItems: {} };
    expect(problems(input)).toContain('products.basic.productLine: line "plan" already has the default product "free"');
  });

  it('rejects trials without an interval, unknown add-on bases and unknown fields', () => {
    const input = base();
    input.products.pack = {
      displayName: 'Pack',
      customerType: 'user',
      price: { amount: 100, currency: 'usd' },
      freeTrial: [7, 'day'],
      isAddOnTo: ['nope'],
      includedItems: {},
    };
    input.products.typo = { displayName: 'Typo', customerType: 'user', price: { amount: 1, currency: 'usd' }, includedItems: {}, stackabel: true };
    const message = problems(input);
    expect(message).toContain('products.pack.freeTrial: only subscriptions');
    expect(message).toContain('products.pack.isAddOnTo.0: unknown product "nope"');
    expect(message).toMatch(/products\.typo: .*stackabel/);
  });
});
