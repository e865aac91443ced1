import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** proxy.ts with the environment of a deployment on `appUrl` (the env module is fresh for each). */
async function proxyAt(appUrl: string) {
  vi.resetModules();
  vi.stubEnv('APP_URL', appUrl);
  vi.stubEnv('BETTER_AUTH_SECRET', 'q7Vx2LmN9pRt4YzK8cWb1FhJ6sDg3AeU0oIk5Xn=');
  vi.stubEnv('STRIPE_SECRET_KEY', 'sk_test_1');
  vi.stubEnv('STRIPE_WEBHOOK_SECRET', 'whsec_1');
  const { proxy } = await import('./proxy');
  return (path: string) => proxy(new NextRequest(new URL(path, appUrl)));
}

afterEach(() => vi.unstubAllEnvs());

describe('proxy', () => {
  it('sends a signed-out visitor of a signed-in page to sign in and back; public pages pass', async () => {
    const visit = await proxyAt('http://localhost:3000');
    const redirect = visit('/billing?tab=1');
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get('location')).toBe('http://localhost:3000/sign-in?next=%2Fbilling%3Ftab%3D1');
    expect(visit('/').headers.get('location')).toBeNull();
    expect(visit('/billingx').headers.get('location')).toBeNull();
  });

  it('gives every page its own script nonce in the Content-Security-Policy, for Next.js and the browser', async () => {
    const visit = await proxyAt('http://localhost:3000');
    const policies = ['/', '/sign-in', '/dashboard'].map((path) => visit(path).headers.get('content-security-policy')!);
    const nonces = policies.map((policy) => /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'(;|$)/.exec(policy)?.[1]);
    expect(nonces.every(Boolean)).toBe(true);
    expect(new Set(nonces).size).toBe(3);
    for (const policy of policies) expect(policy).toContain("frame-ancestors 'none'");
    const page = visit('/');
    expect(page.headers.get('x-middleware-request-content-security-policy')).toBe(page.headers.get('content-security-policy'));
  });

  it('adds HSTS to every page when the app is on https, and never on http', async () => {
    const secure = await proxyAt('https://tally.example.com');
    for (const path of ['/', '/sign-in', '/dashboard']) {
      expect(secure(path).headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    }
    const local = await proxyAt('http://localhost:3000');
    expect(local('/').headers.get('strict-transport-security')).toBeNull();
  });
});
