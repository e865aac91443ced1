import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// The Stripe emulator stands in for Stripe's servers: only code that exists for it may import it.
const emulator = { group: ['**/stripe/emulator/*', '**/stripe/emulator'], message: 'Only emulator code imports the Stripe emulator (see eslint.config.mjs).' };
const emulatorCode = [
  'lib/stripe/emulator/**',
  'app/emulator/**',
  'app/(app)/billing/actions.ts', // the test-clock button
  'instrumentation.ts',
  'instrumentation-node.ts',
  'bench/**',
  'e2e/**',
  '**/*.test.ts',
];
// lib/ and db/ are the domain and storage: no Next.js, no app/, React only in the browser SDK.
const framework = [
  { group: ['next', 'next/*', '@/app/*', '**/app/*'], message: 'lib/ and db/ never import Next.js or app/.' },
  { group: ['react', 'react-dom', 'react/*'], message: 'React only in lib/sdk.' },
];

const config = [
  ...nextVitals,
  ...nextTs,
  // Storage is async (db/work.ts): a call not awaited would let an error or a write slip past.
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/require-await': 'off' },
  },
  {
    ignores: [
      '.next/**',
      '.next-bench/**',
      'tmp/**',
      'node_modules/**',
      'data/**',
      'db/migrations/**',
      'next-env.d.ts',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  { files: ['**/*.{ts,tsx,mts,mjs}'], ignores: emulatorCode, rules: { 'no-restricted-imports': ['error', { patterns: [emulator] }] } },
  {
    files: ['lib/**/*.{ts,tsx}', 'db/**/*.ts'],
    ignores: [...emulatorCode, 'lib/sdk/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [emulator, ...framework] }] },
  },
  // Queries are typed with SQLite's drizzle types on both dialects (db/index.ts): `.all()`, `.get()`
  // and `.run()` compile and pass on SQLite, then throw on PostgreSQL. Work yields them instead
  // (`yield* all(query)`, db/work.ts), which each dialect runs its own way.
  {
    files: ['{lib,db,app}/**/*.{ts,tsx}'],
    ignores: ['lib/stripe/emulator/**', 'app/emulator/**', 'db/index.ts', 'db/work.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[arguments.length=0] > MemberExpression.callee[property.name=/^(all|get|run)$/]',
          message: 'A drizzle query run with .all()/.get()/.run() works only on SQLite: yield it to all()/get()/run() of db/work.ts.',
        },
      ],
    },
  },
  // lib/payments calls one way, down its layers (lib/payments/README.md): entry points (stripe-sync,
  // items, products, checkout, billing) → purchase commands (purchases) → settlement → ledger →
  // rows. Nothing calls back up.
  {
    files: ['lib/payments/*.ts'],
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './lib/payments/purchases.ts', from: ['./lib/payments/stripe-sync.ts', './lib/payments/items.ts', './lib/payments/products.ts'] },
            {
              target: './lib/payments/settlement.ts',
              from: [
                './lib/payments/stripe-sync.ts',
                './lib/payments/items.ts',
                './lib/payments/products.ts',
                './lib/payments/purchases.ts',
                './lib/payments/purchase-hooks.ts',
              ],
            },
            {
              target: ['./lib/payments/ledger.ts', './lib/payments/purchase-rows.ts'],
              from: [
                './lib/payments/stripe-sync.ts',
                './lib/payments/items.ts',
                './lib/payments/products.ts',
                './lib/payments/purchases.ts',
                './lib/payments/settlement.ts',
              ],
            },
          ],
        },
      ],
    },
  },
  { files: ['lib/sdk/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': ['error', { patterns: [emulator, framework[0]] }] } },
  { files: ['lib/stripe/emulator/**'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', { patterns: framework }] } },
];

export default config;
