import { z } from 'zod';

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

// Demo and tests run without any configuration; a deployment on a real host must set its own secret.
const DEMO_AUTH_SECRET = 'tally-demo-secret-not-for-production-use-0000';

const envSchema = z
  .object({
    DATABASE_URL: z.string().min(1).default('data/tally.db'),
    APP_URL: z.url().default('http://localhost:3000'),
    BETTER_AUTH_SECRET: z.string().min(32).optional(),
    STRIPE_SECRET_KEY: z.string().startsWith('sk_', 'must be a Stripe secret key (sk_…)').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must be a webhook signing secret (whsec_…)').optional(),
    STRIPE_EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  })
  .transform((env, ctx) => {
    const isLocal = localHosts.has(new URL(env.APP_URL).hostname);
    if (!env.BETTER_AUTH_SECRET && !isLocal) {
      ctx.addIssue({ code: 'custom', path: ['BETTER_AUTH_SECRET'], message: 'is required when APP_URL is not a local address' });
      return z.NEVER;
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'is required with STRIPE_SECRET_KEY, or webhooks cannot be verified' });
      return z.NEVER;
    }
    const appUrl = new URL(env.APP_URL);
    const appPort = Number(appUrl.port || (appUrl.protocol === 'https:' ? 443 : 80));
    return {
      databaseFile: env.DATABASE_URL.replace(/^file:/, ''),
      appUrl: env.APP_URL.replace(/\/$/, ''),
      authSecret: env.BETTER_AUTH_SECRET ?? DEMO_AUTH_SECRET,
      // Without a key the app talks to its own Stripe emulator, with the same SDK and code.
      stripe: env.STRIPE_SECRET_KEY
        ? { emulator: false as const, secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET! }
        : {
            emulator: true as const,
            secretKey: 'sk_test_tally_emulator',
            webhookSecret: 'whsec_tally_emulator',
            // The emulator's REST API listens on loopback beside the app: by default the next port.
            apiPort: env.STRIPE_EMULATOR_PORT ?? appPort + 1,
          },
    };
  });

export type Env = z.output<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

let cached: Env | undefined;

/** Parsed once, lazily, so `next build` never needs runtime configuration. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
