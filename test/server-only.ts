// vitest stand-in for the `server-only` guard, which throws outside React server bundles.
export {};
