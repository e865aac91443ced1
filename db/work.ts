import type { RunResult } from 'better-sqlite3';
import type { Tx } from './index';

/**
 * Database work as a generator: it yields queries and receives their results, so the same domain
 * code runs on both dialects. SQLite (better-sqlite3) answers synchronously, so its runner drives
 * the generator to the end inside one synchronous transaction, and no other request can interleave
 * (a SQLite transaction cannot span a real `await`: better-sqlite3 refuses a promise, and other
 * requests would share the connection). PostgreSQL's runner awaits each query inside an
 * asynchronous transaction. Compose with `yield*`: `const row = yield* get(tx.select()…)`.
 */
export type Step = { query: unknown; mode: 'get' | 'all' | 'run' | 'lock'; params?: Record<string, unknown> };
export type Work<T> = Generator<Step, T, unknown>;
/** What a piece of work resolves to. */
export type WorkResult<W> = W extends Work<infer T> ? T : never;

/**
 * A hot-path statement, built once per connection with `sql.placeholder`s and reused: building a
 * query through drizzle costs several times what SQLite takes to run it (`npm run bench`).
 */
export type Statement<Q> = { build: (tx: Tx) => Q; built: WeakMap<object, Q> };

export function statement<Q>(build: (tx: Tx) => Q): Statement<Q> {
  return { build, built: new WeakMap() };
}

type Query<T> = { get(): T } | Statement<{ get(params?: Record<string, unknown>): T }>;
type Rows<T> = { all(): T[] } | Statement<{ all(params?: Record<string, unknown>): T[] }>;
type Runnable = { run(): RunResult } | Statement<{ run(params?: Record<string, unknown>): RunResult }>;

/** The first row (or undefined), as drizzle's SQLite `.get()`. */
export function* get<T>(query: Query<T>, params?: Record<string, unknown>): Work<T> {
  return (yield { query, mode: 'get', params }) as T;
}

/** Every row, as drizzle's SQLite `.all()`. */
export function* all<T>(query: Rows<T>, params?: Record<string, unknown>): Work<T[]> {
  return (yield { query, mode: 'all', params }) as T[];
}

/** Runs a statement; resolves to the number of rows it changed. */
export function* run(query: Runnable, params?: Record<string, unknown>): Work<number> {
  return (yield { query, mode: 'run', params }) as number;
}

/**
 * Holds a lock on `name` until the transaction ends, for read-then-write work that a conditional
 * UPDATE cannot express. SQLite: nothing to do, the write transaction already holds the database's
 * one write lock. PostgreSQL: a transaction-scoped advisory lock, so two instances serialize.
 */
export function* lock(name: string): Work<void> {
  yield { query: name, mode: 'lock' };
}

type Executable = { get(params?: unknown): unknown; all(params?: unknown): unknown[]; run(params?: unknown): RunResult };

export function isStatement(query: unknown): query is Statement<Executable & { prepare(): Executable }> {
  return typeof query === 'object' && query !== null && 'built' in query && 'build' in query;
}

/** Drives work whose queries answer synchronously (SQLite); statements are prepared once per connection `tx`. */
export function runSync<T>(work: Work<T>, tx: Tx): T {
  let step = work.next();
  while (!step.done) {
    const { query, mode, params } = step.value;
    let q = query as Executable;
    if (isStatement(query)) {
      let prepared = query.built.get(tx) as Executable | undefined;
      if (!prepared) {
        prepared = query.build(tx).prepare();
        query.built.set(tx, prepared as never);
      }
      q = prepared;
    }
    const result = mode === 'lock' ? undefined : mode === 'get' ? q.get(params) : mode === 'all' ? q.all(params) : q.run(params).changes;
    step = work.next(result);
  }
  return step.value;
}
