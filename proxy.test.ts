import { createRequire } from 'node:module';
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
  return (path: string, headers?: HeadersInit) => proxy(new NextRequest(new URL(path, appUrl), { headers }));
}

/** Which paths reach the proxy, by the matcher Next.js compiles from proxy.ts's config (as at build). */
async function proxiedPaths() {
  const { config } = await import('./proxy');
  const { getMiddlewareMatchers } = createRequire(import.meta.url)('next/dist/build/analysis/get-page-static-info') as {
    getMiddlewareMatchers: (matcher: unknown, nextConfig: object) => { regexp: string; missing?: unknown[] }[];
  };
  const matchers = getMiddlewareMatchers(config.matcher, {});
  return (path: string, { serverAction = false } = {}) => matchers.some((m) => new RegExp(m.regexp).test(path) && !(serverAction && m.missing?.length));
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

  it('answers 400 for a path with a malformed percent-escape, before Next.js fails decoding it with a 500: JSON under /api/v1, text elsewhere', async () => {
    const visit = await proxyAt('http://localhost:3000');
    const api = visit('/api/v1/payments/items/custom/a%ZZb/x');
    expect(api.status).toBe(400);
    expect(api.headers.get('x-tally-known-error')).toBe('MALFORMED_PATH');
    expect(await api.json()).toEqual({ code: 'MALFORMED_PATH', error: expect.stringContaining('malformed percent-escape') });
    for (const path of ['/invitations/a%ZZb', '/invitations/a%E0%A4', '/api/webhooks/%', '/%']) {
      const page = visit(path);
      expect([path, page.status, page.headers.get('content-type')]).toEqual([path, 400, 'text/plain; charset=utf-8']);
      expect(await page.text()).toContain('malformed percent-escape');
    }
  });

  it('passes a well-escaped path on: a page gets its nonce, an API route or a server action is left alone', async () => {
    const visit = await proxyAt('http://localhost:3000');
    const page = visit('/invitations/a%20b');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain('nonce-');
    for (const passed of [visit('/api/v1/payments/items/custom/a%20b/build_minutes'), visit('/invitations/a%20b', { 'next-action': 'x' })]) {
      expect(passed.headers.get('x-middleware-next')).toBe('1');
      expect(passed.headers.get('content-security-policy')).toBeNull();
    }
  });

  it('sees every path with a "%" (API routes and server actions too), and no other API path', async () => {
    const proxied = await proxiedPaths();
    for (const path of ['/api/v1/payments/items/custom/a%ZZb/x', '/invitations/a%ZZb', '/api/webhooks/stripe%ZZ', '/_next/static/%ZZ'])
      expect([path, proxied(path)]).toEqual([path, true]);
    expect(proxied('/invitations/a%ZZb', { serverAction: true })).toBe(true);
    expect(proxied('/dashboard')).toBe(true);
    expect(proxied('/dashboard', { serverAction: true })).toBe(false);
    for (const path of ['/api/v1/summarize', '/api/webhooks/stripe', '/api/v1/payments/items/user/u1/credits', '/_next/static/chunk.js']) {
      expect([path, proxied(path)]).toEqual([path, false]);
    }
  });
});
