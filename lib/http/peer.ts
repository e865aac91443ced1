import { randomBytes } from 'node:crypto';
import http from 'node:http';

/**
 * Whether a request came from this machine, by its socket, which a client cannot forge (a
 * forwarding header can be). Next.js hands pages, actions and routes the request's headers but not
 * its socket, so the Node server stamps every request with its peer address under a header name
 * chosen at random per process: a client cannot know it, and whatever it sends under that name is
 * overwritten. Without the stamp (not installed, another runtime) no request counts as local.
 */
const registry = globalThis as { tallyPeerHeader?: string };

/** Installs the stamp on every HTTP server of this process; once. Called at start-up (instrumentation-node.ts). */
export function stampPeerAddresses(): void {
  if (registry.tallyPeerHeader) return;
  const header = `x-tally-peer-${randomBytes(12).toString('hex')}`;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      request.headers[header] = request.socket.remoteAddress ?? '';
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

/** The request came from this machine: its socket's peer is a loopback address. */
export function isLoopbackRequest(headers: Headers): boolean {
  const header = registry.tallyPeerHeader;
  const peer = header ? headers.get(header) : null;
  return peer !== null && isLoopbackAddress(peer);
}
