import { describe, expect, it } from 'vitest';
import { DEMO_SERVER_SECRET_KEY, metadataBase, parseEnv } from './env';

/** What `openssl rand -base64 32` gives: accepted on a public URL. */
const STRONG_SECRET = 'q7Vx2LmN9pRt4YzK8cWb1FhJ6sDg3AeU0oIk5Xn=';

describe('environment', () => {
  it('runs the demo with no configuration, against the Stripe emulator', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      database: { dialect: 'sqlite', file: 'data/tally.db' },
      appUrl: 'http://localhost:3000',
      stripe: { emulator: true, inProcess: true, apiPort: 3001, databaseFile: 'data/tally-stripe-emulator.db' },
    });
    expect(parseEnv({ DATABASE_URL: 'data/e2e.db', STRIPE_EMULATOR: 'external' }).stripe).toMatchObject({
      inProcess: false,
      databaseFile: 'data/e2e-stripe-emulator.db',
    });
  });

  it('shows the demo mailbox only in the local demo, and turns the server API on locally or with a key', () => {
    expect(parseEnv({}).mail).toMatchObject({ smtpUrl: null, mailboxVisible: true });
    expect(parseEnv({ SMTP_URL: 'smtp://u:p@mail.example.com:587' }).mail).toMatchObject({ smtpUrl: 'smtp://u:p@mail.example.com:587', mailboxVisible: false });
    expect(parseEnv({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' }).mail.mailboxVisible).toBe(false);
    expect(parseEnv({ APP_URL: 'https://demo.example.com', TALLY_DEMO: '1', BETTER_AUTH_SECRET: STRONG_SECRET }).mail.mailboxVisible).toBe(false);
    expect(() => parseEnv({ SMTP_URL: 'https://mail.example.com' })).toThrow('SMTP_URL: must be an smtp:// or smtps:// URL');
    expect(parseEnv({}).serverSecretKey).toMatch(/^tally_server_demo_key/);
    expect(parseEnv({ APP_URL: 'https://demo.example.com', TALLY_DEMO: '1', BETTER_AUTH_SECRET: STRONG_SECRET }).serverSecretKey).toBeNull();
    expect(parseEnv({ TALLY_SERVER_SECRET_KEY: 'k'.repeat(32) }).serverSecretKey).toBe('k'.repeat(32));
  });

  it('gives page metadata the app URL without validating anything else', () => {
    expect(metadataBase({}).href).toBe('http://localhost:3000/');
    expect(metadataBase({ PORT: '3100' }).href).toBe('http://localhost:3100/');
    expect(metadataBase({ APP_URL: 'https://tally.example.com' }).href).toBe('https://tally.example.com/');
  });

  it('without APP_URL, is where Next.js listens (its PORT), and the emulator beside it', () => {
    expect(parseEnv({ PORT: '3400' })).toMatchObject({ appUrl: 'http://localhost:3400', stripe: { apiPort: 3401 } });
    expect(parseEnv({ PORT: '3400', APP_URL: 'http://localhost:3100' }).appUrl).toBe('http://localhost:3100');
  });

  it('refuses a Stripe key without a webhook secret, and a public URL without an auth secret', () => {
    expect(() => parseEnv({ STRIPE_SECRET_KEY: 'sk_test_123' })).toThrow('STRIPE_WEBHOOK_SECRET: is required with STRIPE_SECRET_KEY');
    expect(() => parseEnv({ STRIPE_SECRET_KEY: 'pk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_1' })).toThrow('must be a Stripe secret key');
    expect(() => parseEnv({ APP_URL: 'https://tally.example.com', STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' })).toThrow(
      'BETTER_AUTH_SECRET: is required when APP_URL is not a local address',
    );
    const live = parseEnv({
      APP_URL: 'https://tally.example.com',
      BETTER_AUTH_SECRET: STRONG_SECRET,
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
    });
    expect(live.stripe).toEqual({ emulator: false, secretKey: 'sk_test_1', webhookSecret: 'whsec_1' });
  });

  it('never runs the Stripe emulator or the demo seed on a public URL by accident', () => {
    const secret = { BETTER_AUTH_SECRET: STRONG_SECRET };
    expect(() => parseEnv({ APP_URL: 'https://tally.example.com', ...secret })).toThrow('STRIPE_SECRET_KEY: is required when APP_URL is not a local address');
    const publicDemo = parseEnv({ APP_URL: 'https://demo.tally.example', TALLY_DEMO: '1', ...secret });
    expect([publicDemo.stripe.emulator, publicDemo.demoAllowed, publicDemo.demo]).toEqual([true, true, true]);
    const live = parseEnv({ APP_URL: 'https://tally.example.com', STRIPE_SECRET_KEY: 'sk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', ...secret });
    expect([live.stripe.emulator, live.demoAllowed, live.demo]).toEqual([false, false, false]);
    const testModeDemo = parseEnv({
      APP_URL: 'https://demo.tally.example',
      TALLY_DEMO: '1',
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      ...secret,
    });
    expect([testModeDemo.stripe.emulator, testModeDemo.demoAllowed, testModeDemo.demo]).toEqual([false, true, true]);
    expect(parseEnv({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' }).demoAllowed).toBe(true);
  });

  it('refuses, on a public URL, the published demo secrets and obviously weak ones; locally they are the defaults', () => {
    const live = { APP_URL: 'https://billing.example.com', STRIPE_SECRET_KEY: 'sk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' };
    expect(() => parseEnv({ ...live, BETTER_AUTH_SECRET: 'tally-demo-secret-not-for-production-use-0000' })).toThrow(
      "BETTER_AUTH_SECRET: is the demo's published value: generate one with openssl rand -base64 32",
    );
    expect(() => parseEnv({ ...live, BETTER_AUTH_SECRET: STRONG_SECRET, TALLY_SERVER_SECRET_KEY: DEMO_SERVER_SECRET_KEY })).toThrow(
      "TALLY_SERVER_SECRET_KEY: is the demo's published value",
    );
    expect(() => parseEnv({ ...live, BETTER_AUTH_SECRET: 'x'.repeat(40) })).toThrow('BETTER_AUTH_SECRET: looks weak');
    expect(() => parseEnv({ ...live, BETTER_AUTH_SECRET: STRONG_SECRET, TALLY_SERVER_SECRET_KEY: 'ab'.repeat(20) })).toThrow(
      'TALLY_SERVER_SECRET_KEY: looks weak',
    );
    expect(
      parseEnv({ ...live, BETTER_AUTH_SECRET: STRONG_SECRET, TALLY_SERVER_SECRET_KEY: STRONG_SECRET.split('').reverse().join('') }).serverSecretKey,
    ).toBeTruthy();
    expect(parseEnv({}).serverSecretKey).toBe(DEMO_SERVER_SECRET_KEY); // local: the README's curl examples work
  });

  it('without BETTER_AUTH_SECRET, signs with a random secret of this installation, never a published one', () => {
    const secret = parseEnv({}).authSecret;
    expect(secret).not.toBe('tally-demo-secret-not-for-production-use-0000');
    expect(Buffer.from(secret, 'base64')).toHaveLength(32);
    expect(parseEnv({ PORT: '3999' }).authSecret).toBe(secret); // kept in data/auth-secret: restarts and instances share it
    expect(parseEnv({ BETTER_AUTH_SECRET: STRONG_SECRET }).authSecret).toBe(STRONG_SECRET);
  });

  it('gives demo powers to other machines only with TALLY_DEMO=1', () => {
    expect(parseEnv({}).demoOnNetwork).toBe(false);
    expect(parseEnv({ TALLY_DEMO: '1' }).demoOnNetwork).toBe(true);
  });

  it('takes a trusted client-address header only as a header name', () => {
    expect(parseEnv({ TRUSTED_CLIENT_IP_HEADER: 'X-Real-IP' }).trustedClientIpHeader).toBe('x-real-ip');
    expect(parseEnv({}).trustedClientIpHeader).toBeNull();
    expect(() => parseEnv({ TRUSTED_CLIENT_IP_HEADER: 'x real ip' })).toThrow('TRUSTED_CLIENT_IP_HEADER: must be a header name');
  });

  it('reads an empty value, as in a copied .env.example, as unset', () => {
    const env = parseEnv({ DATABASE_URL: '', BETTER_AUTH_SECRET: '', STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', TRUSTED_CLIENT_IP_HEADER: '' });
    expect(env).toMatchObject({ database: { dialect: 'sqlite', file: 'data/tally.db' }, stripe: { emulator: true }, trustedClientIpHeader: null });
  });

  it('selects PostgreSQL by a postgres:// or postgresql:// URL, SQLite otherwise', () => {
    const pg = parseEnv({ DATABASE_URL: 'postgres://tally:tally@127.0.0.1:5432/tally' });
    expect(pg.database).toEqual({ dialect: 'postgres', url: 'postgres://tally:tally@127.0.0.1:5432/tally' });
    expect(pg.stripe).toMatchObject({ databaseFile: 'data/stripe-emulator.db' }); // the emulator keeps its own SQLite file
    expect(parseEnv({ DATABASE_URL: 'postgresql://db.example/tally' }).database.dialect).toBe('postgres');
    expect(parseEnv({ DATABASE_URL: 'file:data/x.db' }).database).toEqual({ dialect: 'sqlite', file: 'data/x.db' });
  });
});
