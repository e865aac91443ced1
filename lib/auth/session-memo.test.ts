import { describe, expect, it } from 'vitest';
import { createSessionMemo } from './session-memo';

describe('session memo', () => {
  it('remembers a verified session for its time to live, never past the session’s expiry', () => {
    let now = 1_000;
    const memo = createSessionMemo<string>({ ttlMs: 10_000, maxEntries: 10, clock: () => now });
    memo.set('cookie-a', 'alice', 1_000_000);
    memo.set('cookie-b', 'bob', 5_000); // the session itself ends sooner
    expect(memo.get('cookie-a')).toBe('alice');
    expect(memo.get('cookie-b')).toBe('bob');
    now = 5_000;
    expect(memo.get('cookie-b')).toBeUndefined();
    expect(memo.get('cookie-a')).toBe('alice');
    now = 11_000;
    expect(memo.get('cookie-a')).toBeUndefined();
  });

  it('forgets a signed-out session at once, and the oldest entry when full', () => {
    const memo = createSessionMemo<string>({ ttlMs: 10_000, maxEntries: 2, clock: () => 0 });
    memo.set('a', 'alice', 1e9);
    memo.forget('a');
    expect(memo.get('a')).toBeUndefined();
    memo.set('b', 'bob', 1e9);
    memo.set('c', 'carol', 1e9);
    memo.set('d', 'dave', 1e9);
    expect([memo.get('b'), memo.get('c'), memo.get('d')]).toEqual([undefined, 'carol', 'dave']);
    const before = memo.generation; // a session check starts…
    memo.clear(); // …a password reset clears the memo…
    memo.set('c', 'carol', 1e9, before); // …and the check, verified before it, is not remembered
    expect([memo.get('c'), memo.get('d')]).toEqual([undefined, undefined]);
  });
});
