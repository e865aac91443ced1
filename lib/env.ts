import { z } from 'zod';

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

// Demo and tests run without any configuration; a deployment on a real host must set its own secret.
const DEMO_AUTH_SECRET = 'tally-demo-secret-not-for-production-use-0000';

const envSchema = z
  .object({
    DATABASE_URL: z.string().min(1).default('data/tally.db'),
    APP_URL: z.url().default('http://localhost:3000'),
    BETTER_AUTH_SECRET: z.string().min(32).optional(),
  })
  .transform((env, ctx) => {
    const isLocal = localHosts.has(new URL(env.APP_URL).hostname);
    if (!env.BETTER_AUTH_SECRET && !isLocal) {
      ctx.addIssue({ code: 'custom', path: ['BETTER_AUTH_SECRET'], message: 'is required when APP_URL is not a local address' });
      return z.NEVER;
    }
    return {
      databaseFile: env.DATABASE_URL.replace(/^file:/, ''),
      appUrl: env.APP_URL.replace(/\/$/, ''),
      authSecret: env.BETTER_AUTH_SECRET ?? DEMO_AUTH_SECRET,
    };
  });

export type Env = z.output<typeof envSchema>;

let cached: Env | undefined;

/** Parsed once, lazily, so `next build` never needs runtime configuration. */
export function getEnv(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`Invalid environment:\n${lines.join('\n')}`);
    }
    cached = parsed.data;
  }
  return cached;
}
