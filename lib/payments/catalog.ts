import { parseCatalog, type CatalogInput } from './catalog-schema';

/**
 * The products and items this app sells: the one source of truth. Prices are integer cents.
 * Validated when first imported, so a bad entry stops the app at start-up with its path.
 */
const demoCatalog = {
  items: {
    credits: { displayName: 'Credits', customerType: 'user', lowBalanceAt: 10 },
    seats: { displayName: 'Seats', customerType: 'team' },
    api_calls: { displayName: 'API calls', customerType: 'team', lowBalanceAt: 1000 },
    // A custom customer: an id of the fork's own (a workspace, a project), reached only from the server API.
    build_minutes: { displayName: 'Build minutes', customerType: 'custom' },
  },
  products: {
    free: {
      displayName: 'Free',
      description: 'Try Tally with a monthly allowance of credits.',
      customerType: 'user',
      price: 'include-by-default',
      productLine: 'user_plan',
      includedItems: { credits: { quantity: 50, repeat: [1, 'month'], expires: 'when-repeated' } },
    },
    pro_monthly: {
      displayName: 'Pro',
      description: 'For regular use: 1,000 fresh credits every month. Try it free for 7 days.',
      customerType: 'user',
      price: { amount: 2000, currency: 'usd', interval: [1, 'month'] },
      // Offered once: only to a customer who never had a paid plan of this line (products.ts).
      freeTrial: [7, 'day'],
      productLine: 'user_plan',
      includedItems: { credits: { quantity: 1000, repeat: [1, 'month'], expires: 'when-repeated' } },
    },
    pro_yearly: {
      displayName: 'Pro yearly',
      description: 'Pro for a year at the price of ten months; credits still refill monthly.',
      customerType: 'user',
      price: { amount: 20000, currency: 'usd', interval: [1, 'year'] },
      productLine: 'user_plan',
      includedItems: { credits: { quantity: 1000, repeat: [1, 'month'], expires: 'when-repeated' } },
    },
    credit_pack: {
      displayName: 'Credit pack',
      description: '500 credits that never expire. Buy as many as you need.',
      customerType: 'user',
      price: { amount: 1000, currency: 'usd' },
      stackable: true,
      includedItems: { credits: { quantity: 500 } },
    },
    welcome_bonus: {
      displayName: 'Welcome bonus',
      description: '100 credits from us, granted by the server (promotions, support).',
      customerType: 'user',
      price: { amount: 0, currency: 'usd' },
      serverOnly: true,
      includedItems: { credits: { quantity: 100 } },
    },
    team_free: {
      displayName: 'Team free',
      description: 'Every team starts with 3 seats: room to try Tally together.',
      customerType: 'team',
      price: 'include-by-default',
      productLine: 'team_plan',
      includedItems: { seats: { quantity: 3, expires: 'when-purchase-expires' } },
    },
    team_plan: {
      displayName: 'Team',
      description: '5 seats and 10,000 API calls every month.',
      customerType: 'team',
      price: { amount: 4900, currency: 'usd', interval: [1, 'month'] },
      productLine: 'team_plan',
      includedItems: {
        seats: { quantity: 5, expires: 'when-purchase-expires' },
        api_calls: { quantity: 10_000, repeat: [1, 'month'], expires: 'when-repeated' },
      },
    },
    workspace_free: {
      displayName: 'Workspace free',
      description: 'Every workspace gets 1,000 build minutes a month.',
      customerType: 'custom',
      price: 'include-by-default',
      productLine: 'workspace_plan',
      serverOnly: true,
      includedItems: { build_minutes: { quantity: 1000, repeat: [1, 'month'], expires: 'when-repeated' } },
    },
    build_minutes_pack: {
      displayName: '10,000 build minutes',
      description: 'Granted by the server API; they never expire.',
      customerType: 'custom',
      price: { amount: 1000, currency: 'usd' },
      serverOnly: true,
      stackable: true,
      includedItems: { build_minutes: { quantity: 10_000, expires: 'never' } },
    },
    extra_seats: {
      displayName: 'Extra seat',
      description: 'One more seat on the Team plan, billed monthly.',
      customerType: 'team',
      price: { amount: 800, currency: 'usd', interval: [1, 'month'] },
      stackable: true,
      isAddOnTo: ['team_plan'],
      includedItems: { seats: { quantity: 1, expires: 'when-purchase-expires' } },
    },
  },
} as const satisfies CatalogInput;

export const catalog = parseCatalog(demoCatalog);

/** The item whose quantity caps a team's members (lib/auth/teams.ts): every member takes a seat. */
export const seatItemId = 'seats' satisfies keyof typeof demoCatalog.items;
