/** The demo's accounts, seeded by db/seed.ts (local or TALLY_DEMO=1 only) and shown on the home page of a demo. */
export const DEMO_PASSWORD = 'tally-demo-password';
export const demoUsers = [
  { name: 'Alice Example', email: 'alice@example.com', about: 'owner of team Acme' },
  { name: 'Bob Example', email: 'bob@example.com', about: 'member of Acme' },
] as const;

/** One of the demo's accounts, whose password anyone can read. */
export const isDemoAccount = (email: string) => demoUsers.some((demo) => demo.email === email.trim().toLowerCase());
