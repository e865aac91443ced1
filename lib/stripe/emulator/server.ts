import { createServer, type Server } from 'node:http';
import type { EmulatorDb } from './db';
import { handleEmulatorRequest } from './api';
import { parseStripeForm } from './form';
import { deliverPendingEvents } from './store';

type Options = { db: EmulatorDb; port: number; appUrl: string; secretKey: string; webhookSecret: string };

/**
 * The emulator's REST API as a plain HTTP server on loopback, started with the app in emulator
 * mode. It is where the Stripe SDK's `host`/`port` point; a bare `node:http` handler costs a
 * fraction of a Next.js route, so re-reading objects from "Stripe" stays cheap.
 */
export function startEmulatorServer({ db, port, appUrl, secretKey, webhookSecret }: Options): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_emulator' });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== `Bearer ${secretKey}`) {
        send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
        return;
      }
      const url = new URL(request.url ?? '/', 'http://emulator');
      if (!url.pathname.startsWith('/v1/')) {
        send(404, { error: { type: 'invalid_request_error', message: 'Unrecognized request URL.' } });
        return;
      }
      const method = request.method ?? 'GET';
      const form = method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString()) : url.searchParams;
      try {
        const result = handleEmulatorRequest(db, {
          method,
          path: url.pathname.slice('/v1/'.length).split('/'),
          params: parseStripeForm(form),
          wallNow: Date.now(),
          appUrl,
        });
        send(result.status, result.body);
      } catch (error) {
        console.error('Stripe emulator request failed', error);
        send(500, { error: { type: 'api_error', message: 'The emulator failed on this request.' } });
      }
      // Like Stripe, events go out after the API call that caused them has answered.
      setImmediate(() => void deliverPendingEvents(db, { appUrl, webhookSecret }).catch((error: unknown) => console.error('Emulator delivery failed', error)));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`The Stripe emulator cannot listen on 127.0.0.1:${port} (${(error as Error).message}). Set STRIPE_EMULATOR_PORT to a free port.`)),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
