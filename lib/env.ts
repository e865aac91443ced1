import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

// Earlier releases used this published value when BETTER_AUTH_SECRET was unset: refused on a public URL.
const DEMO_AUTH_SECRET = 'tally-demo-secret-not-for-production-use-0000';
const LOCAL_AUTH_SECRET_FILE = 'data/auth-secret';

/**
 * The auth secret of an app without BETTER_AUTH_SECRET (a local demo, tests): random, made once and
 * kept in `data/auth-secret` (0600), so sessions survive restarts and instances started from the
 * same folder share it. Never a published value: `npm start` listens on every interface, and a
 * known secret would let anyone forge known-device cookies (unlimited password guesses) and email
 * tokens. Read when first asked for, not at parse time.
 */
function localAuthSecret(): string {
  try {
    return readFileSync(LOCAL_AUTH_SECRET_FILE, 'utf8').trim();
  } catch {
    mkdirSync(path.dirname(LOCAL_AUTH_SECRET_FILE), { recursive: true });
    try {
      writeFileSync(LOCAL_AUTH_SECRET_FILE, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error; // another process made it first: use theirs
    }
    return readFileSync(LOCAL_AUTH_SECRET_FILE, 'utf8').trim();
  }
}
// The server REST API's key on a local app when none is set (README shows it in curl examples).
export const DEMO_SERVER_SECRET_KEY = 'tally_server_demo_key_local_only_0000000000';

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    DATABASE_URL: z.string().min(1).default('data/tally.db'),
    APP_URL: z.url().optional(),
    // Next.js sets PORT to the port it listens on (`-p`, or PORT given): without APP_URL, the app is there.
    PORT: z.coerce.number().int().min(1).max(65535).optional(),
    BETTER_AUTH_SECRET: z.string().min(32).optional(),
    STRIPE_SECRET_KEY: z.string().startsWith('sk_', 'must be a Stripe secret key (sk_…)').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must be a webhook signing secret (whsec_…)').optional(),
    STRIPE_EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    STRIPE_EMULATOR: z.enum(['in-process', 'external']).default('in-process'),
    STRIPE_EMULATOR_DATABASE: z.string().min(1).optional(),
    STRIPE_EMULATOR_COLLECTION_DELAY_MS: z.coerce.number().int().min(0).max(86_400_000).default(5_000),
    TALLY_DEMO: z.enum(['0', '1']).default('0'),
    TALLY_SERVER_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
    SMTP_URL: z
      .url()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Tally <no-reply@tally.localhost>'),
    // `npm run bench` only: serves /api/bare, the do-nothing route its ratios are measured against.
    TALLY_BENCH_ROUTES: z.enum(['0', '1']).default('0'),
    // Tests only: the share of PostgreSQL write transactions failed on purpose with a serialization
    // failure or a deadlock at a random statement, to prove every write is retried whole.
    TALLY_TEST_TRANSACTION_FAILURES: z.coerce.number().min(0).max(0.5).default(0),
    TRUSTED_CLIENT_IP_HEADER: z
      .string()
      .toLowerCase()
      .regex(/^[a-z0-9-]+$/, 'must be a header name, such as x-real-ip')
      .optional(),
  })
  .transform(({ APP_URL, PORT, ...env }, ctx) => {
    const appUrlText = APP_URL ?? `http://localhost:${PORT ?? 3000}`;
    const isLocal = localHosts.has(new URL(appUrlText).hostname);
    if (!env.BETTER_AUTH_SECRET && !isLocal) {
      ctx.addIssue({ code: 'custom', path: ['BETTER_AUTH_SECRET'], message: 'is required when APP_URL is not a local address' });
      return z.NEVER;
    }
    // On a public URL a secret anyone can read (the demo's, the README's) or guess protects nothing:
    // with the auth secret known, cookies can be forged; with the server key, the REST API is open.
    if (!isLocal) {
      const secrets = [
        ['BETTER_AUTH_SECRET', env.BETTER_AUTH_SECRET, DEMO_AUTH_SECRET],
        ['TALLY_SERVER_SECRET_KEY', env.TALLY_SERVER_SECRET_KEY, DEMO_SERVER_SECRET_KEY],
      ] as const;
      const problems = secrets.flatMap(([name, value, published]) => {
        if (value === published) return [{ name, problem: "is the demo's published value" }];
        return value && new Set(value).size < 10 ? [{ name, problem: 'looks weak (fewer than 10 different characters)' }] : [];
      });
      for (const { name, problem } of problems)
        ctx.addIssue({ code: 'custom', path: [name], message: `${problem}: generate one with openssl rand -base64 32` });
      if (problems.length > 0) return z.NEVER;
    }
    // The emulator lets anyone "pay" with 4242 and the seed publishes its password: on a public
    // URL they run only when someone asked for a public demo.
    const demoAllowed = isLocal || env.TALLY_DEMO === '1';
    if (!env.STRIPE_SECRET_KEY && !demoAllowed) {
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_SECRET_KEY'],
        message:
          'is required when APP_URL is not a local address; without it the Stripe emulator would let anyone pay with a test card (set TALLY_DEMO=1 to run a public demo on purpose)',
      });
      return z.NEVER;
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'is required with STRIPE_SECRET_KEY, or webhooks cannot be verified' });
      return z.NEVER;
    }
    const database =
      databaseDialect({ DATABASE_URL: env.DATABASE_URL }) === 'postgres'
        ? { dialect: 'postgres' as const, url: env.DATABASE_URL }
        : { dialect: 'sqlite' as const, file: env.DATABASE_URL.replace(/^file:/, '') };
    const sqliteFile = database.dialect === 'sqlite' ? database.file : null;
    const appUrl = new URL(appUrlText);
    const appPort = Number(appUrl.port || (appUrl.protocol === 'https:' ? 443 : 80));
    return {
      development: env.NODE_ENV === 'development',
      database,
      /** Demo users with a published password may be seeded: a local app or an explicit public demo. */
      demoAllowed,
      /** Demo powers answer requests from other machines too (app/_server/demo.ts): TALLY_DEMO=1 only. */
      demoOnNetwork: env.TALLY_DEMO === '1',
      /** Pages say it is a demo: the emulator takes payments, or TALLY_DEMO=1 asked for a public demo. */
      demo: !env.STRIPE_SECRET_KEY || env.TALLY_DEMO === '1',
      appUrl: appUrlText.replace(/\/$/, ''),
      get authSecret(): string {
        return env.BETTER_AUTH_SECRET ?? localAuthSecret();
      },
      /** Bearer key of the server REST API (/api/v1/payments/…); off (null) on a public URL until set. */
      serverSecretKey: env.TALLY_SERVER_SECRET_KEY ?? (isLocal ? DEMO_SERVER_SECRET_KEY : null),
      // SMTP when configured; otherwise mail stays in the database's outbox, readable on the
      // mailbox page only in the local demo (local APP_URL, the Stripe emulator): the mails hold
      // invitation and password-reset links.
      mail: { smtpUrl: env.SMTP_URL ?? null, from: env.MAIL_FROM, mailboxVisible: !env.SMTP_URL && isLocal && !env.STRIPE_SECRET_KEY },
      testTransactionFailures: env.TALLY_TEST_TRANSACTION_FAILURES,
      benchRoutes: env.TALLY_BENCH_ROUTES === '1',
      // Set only behind a proxy that overwrites this header with the client's address.
      trustedClientIpHeader: env.TRUSTED_CLIENT_IP_HEADER ?? null,
      // Without a key the app talks to its own Stripe emulator, with the same SDK and code.
      stripe: env.STRIPE_SECRET_KEY
        ? { emulator: false as const, secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET! }
        : {
            emulator: true as const,
            secretKey: 'sk_test_tally_emulator',
            webhookSecret: 'whsec_tally_emulator',
            // The emulator's REST API listens on loopback beside the app: by default the next port.
            apiPort: env.STRIPE_EMULATOR_PORT ?? appPort + 1,
            // Started inside the app (the demo), or its own process (`npm run stripe:emulator`) that
            // every app instance on the machine points at.
            inProcess: env.STRIPE_EMULATOR === 'in-process',
            // How long after a period ends the emulator collects its renewal (Stripe: about an
            // hour), and how long a bank debit takes to settle: long enough to see the gap.
            collectionDelayMs: env.STRIPE_EMULATOR_COLLECTION_DELAY_MS,
            // Its own store, beside the app's database file: data/tally.db → data/tally-stripe-emulator.db.
            databaseFile:
              env.STRIPE_EMULATOR_DATABASE ??
              (sqliteFile === null
                ? 'data/stripe-emulator.db'
                : sqliteFile === ':memory:'
                  ? ':memory:'
                  : sqliteFile.replace(/(\.db)?$/, '-stripe-emulator.db')),
          },
    };
  });

export type Env = z.output<typeof envSchema>;

/**
 * Which database DATABASE_URL names: a postgres:// or postgresql:// URL, or else a SQLite file.
 * Decided once; db/schema.ts picks its tables by it before anything opens the database.
 */
export function databaseDialect(source: Record<string, string | undefined> = process.env): 'sqlite' | 'postgres' {
  return /^postgres(ql)?:\/\//.test(source.DATABASE_URL ?? '') ? 'postgres' : 'sqlite';
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // `KEY=` (as in a copied .env.example) means unset, not an empty value.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * The app's URL for absolute links in page metadata (the social card), without validating the rest
 * of the environment: metadata of pages prerendered at build time is resolved then.
 */
export function metadataBase(source: Record<string, string | undefined> = process.env): URL {
  return new URL(source.APP_URL || `http://localhost:${source.PORT || 3000}`);
}

let cached: Env | undefined;

/** Parsed once, lazily, so `next build` never needs runtime configuration. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
