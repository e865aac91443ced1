import { randomBytes } from 'node:crypto';
import http from 'node:http';

/**
 * Whether a request came from this machine, by its socket, which a client cannot forge (a
 * forwarding header can be). Next.js hands pages, actions and routes the request's headers but not
 * its socket, so the Node server stamps every request with its peer address under a header name
 * chosen at random per process: a client cannot know it, and whatever it sends under that name is
 * overwritten. Without the stamp (not installed, another runtime) no request counts as local.
 *
 * Two kinds of loopback connection speak for someone else:
 * - Next.js's own requests to itself (an action that redirects renders the target page with a
 *   fetch to localhost; an action posted to a page that lacks it is forwarded there), carrying the
 *   first request's headers: a loopback request that already bears the stamp keeps it, since only
 *   this process knows its name.
 * - A reverse proxy or tunnel on the same machine (nginx, ngrok, cloudflared): it says so with a
 *   forwarding header, and such a request is not local, whatever its socket (a client adding one
 *   only loses powers).
 */
const registry = globalThis as { tallyPeerHeader?: string };

const forwardingHeaders = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via', 'cf-connecting-ip', 'true-client-ip'];

/** What a request's stamp says: the peer address, or `proxied` for a proxy on this machine. */
function stampOf(request: http.IncomingMessage, header: string): string {
  const peer = request.socket.remoteAddress ?? '';
  if (!isLoopbackAddress(peer)) return peer;
  const stamped = request.headers[header];
  if (typeof stamped === 'string') return stamped; // Next.js calling itself on a request's behalf
  return forwardingHeaders.some((name) => name in request.headers) ? 'proxied' : peer;
}

/** Installs the stamp on every HTTP server of this process; once. Called at start-up (instrumentation-node.ts). */
export function stampPeerAddresses(): void {
  if (registry.tallyPeerHeader) return;
  const header = `x-tally-peer-${randomBytes(12).toString('hex')}`;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      request.headers[header] = stampOf(request, header);
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
  registry.tallyPeerHeader = header;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127(\.\d{1,3}){3}$/.test(v4);
}

/** The request came from this machine: its socket's peer is a loopback address, and no proxy speaks for someone else. */
export function isLoopbackRequest(headers: Headers): boolean {
  const header = registry.tallyPeerHeader;
  const peer = header ? headers.get(header) : null;
  return peer !== null && isLoopbackAddress(peer);
}
