import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('environment', () => {
  it('runs the demo with no configuration, against the Stripe emulator', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ databaseFile: 'data/tally.db', appUrl: 'http://localhost:3000', stripe: { emulator: true } });
  });

  it('refuses a Stripe key without a webhook secret, and a public URL without an auth secret', () => {
    expect(() => parseEnv({ STRIPE_SECRET_KEY: 'sk_test_123' })).toThrow('STRIPE_WEBHOOK_SECRET: is required with STRIPE_SECRET_KEY');
    expect(() => parseEnv({ STRIPE_SECRET_KEY: 'pk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_1' })).toThrow('must be a Stripe secret key');
    expect(() => parseEnv({ APP_URL: 'https://tally.example.com' })).toThrow('BETTER_AUTH_SECRET: is required when APP_URL is not a local address');
    const live = parseEnv({ APP_URL: 'https://tally.example.com', BETTER_AUTH_SECRET: 'x'.repeat(32), STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' });
    expect(live.stripe).toEqual({ emulator: false, secretKey: 'sk_test_1', webhookSecret: 'whsec_1' });
  });
});
