import { isRedirectError } from 'next/dist/client/components/redirect-error';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TallyError } from '@/lib/sdk/errors';
import { TallyProvider, useUser } from './tally-provider';

const alice = { id: 'u1', name: 'Alice', email: 'alice@example.com' };

/** Renders a component that calls useUser with `options`, with or without a signed-in provider above it. */
function render(options: { or?: 'redirect' | 'throw' | 'return-null' } | undefined, signedIn: boolean): string {
  function Probe() {
    const user = useUser(options as { or?: 'return-null' });
    return <p>{user ? `${user.displayName} <${user.primaryEmail}> ${user.id}` : 'nobody'}</p>;
  }
  return renderToString(
    signedIn ? (
      <TallyProvider user={alice}>
        <Probe />
      </TallyProvider>
    ) : (
      <Probe />
    ),
  );
}

describe('useUser, the README’s headline hook', () => {
  it('returns the signed-in user as a Customer, whatever `or` says', () => {
    for (const or of ['redirect', 'throw', 'return-null'] as const) expect(render({ or }, true)).toContain('Alice &lt;alice@example.com&gt; u1');
    expect(render(undefined, true)).toContain('Alice');
  });

  it('signed out: null by default, a TallyError with `or: "throw"`, and a redirect to sign in that never returns with `or: "redirect"`', () => {
    expect(render(undefined, false)).toContain('nobody');
    expect(render({ or: 'return-null' }, false)).toContain('nobody');
    expect(() => render({ or: 'throw' }, false)).toThrow(TallyError);
    let thrown: unknown;
    try {
      render({ or: 'redirect' }, false);
    } catch (error) {
      thrown = error;
    }
    expect(isRedirectError(thrown)).toBe(true);
    expect(String((thrown as { digest: string }).digest)).toContain('/sign-in?next=');
  });
});
