import { after } from 'next/server';
import { getDb } from '@/db';
import { getEnv } from '@/lib/env';
import { handleEmulatorRequest } from '@/lib/stripe/emulator/api';
import { parseStripeForm } from '@/lib/stripe/emulator/form';
import { deliverPendingEvents, emulatorOffset } from '@/lib/stripe/emulator/store';

/**
 * The local Stripe emulator's REST API, where the Stripe SDK sends requests when no real key is
 * set (the SDK's `host`/`port` options point here; Stripe's paths start with /v1). Off otherwise.
 */
async function handle(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const env = getEnv();
  if (!env.stripe.emulator) return new Response('Not found', { status: 404 });
  if (request.headers.get('authorization') !== `Bearer ${env.stripe.secretKey}`) {
    return Response.json({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } }, { status: 401 });
  }
  const url = new URL(request.url);
  const form = request.method === 'POST' ? new URLSearchParams(await request.text()) : url.searchParams;
  const db = getDb();
  const result = handleEmulatorRequest(db, {
    method: request.method,
    path: (await params).path,
    params: parseStripeForm(form),
    now: Date.now() + emulatorOffset(db),
    appUrl: env.appUrl,
  });
  after(() => deliverPendingEvents(db, `${env.appUrl}/api/webhooks/stripe`, env.stripe.webhookSecret));
  return Response.json(result.body, { status: result.status });
}

export const GET = handle;
export const POST = handle;
export const DELETE = handle;
