import { defineConfig } from 'drizzle-kit';

// The Stripe emulator's own database (see lib/stripe/emulator/db.ts); the app's is drizzle.config.ts.
export default defineConfig({
  dialect: 'sqlite',
  schema: './lib/stripe/emulator/schema.ts',
  out: './lib/stripe/emulator/migrations',
});
