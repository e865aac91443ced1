import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackRequest, stampPeerAddresses } from './peer';

/**
 * A real server on every interface (as `next start`) whose handler gets the Node request's headers
 * as Fetch headers, as Next.js hands them over, and answers what it returns.
 */
async function serve(handler: (headers: Headers, path: string, port: number) => string | Promise<string>) {
  const server = http.createServer((request, response) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
    void Promise.resolve(handler(headers, request.url ?? '/', port)).then((body) => response.end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, port };
}

/** An address of this machine that is not loopback: a request to it comes from "the network". */
function networkAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  if (!address) throw new Error('this test needs a non-loopback IPv4 address on the machine');
  return address;
}

const isLocal = (headers: Headers) => String(isLoopbackRequest(headers));

describe('loopback requests', () => {
  it('tells loopback addresses from others', () => {
    for (const local of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(local)).toBe(true);
    for (const remote of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', '2001:db8::1', '', '127.0.0.1.example.com'])
      expect(isLoopbackAddress(remote)).toBe(false);
  });

  it('count no request as local before the stamp is installed, whatever it claims', () => {
    expect(isLoopbackRequest(new Headers({ 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' }))).toBe(false);
  });

  it('count a request from another address of the network as not local, however it is addressed', async () => {
    stampPeerAddresses();
    const { server, port } = await serve(isLocal);
    try {
      const headers = { 'x-forwarded-for': '127.0.0.1', host: 'localhost' };
      expect(await (await fetch(`http://${networkAddress()}:${port}/`, { headers })).text()).toBe('false');
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('true');
    } finally {
      server.close();
    }
  });

  it("keep the first request's peer when Next.js calls itself on its behalf, and count a proxy on this machine as not local", async () => {
    stampPeerAddresses();
    // As Next.js does for an action that redirects (or is forwarded): fetch itself at localhost with the request's headers.
    const { server, port } = await serve(async (headers, path, ownPort) => {
      if (path !== '/action') return isLocal(headers);
      headers.delete('connection');
      headers.delete('host');
      return (await fetch(`http://localhost:${ownPort}/page`, { headers })).text();
    });
    try {
      expect(await (await fetch(`http://${networkAddress()}:${port}/action`)).text()).toBe('false');
      expect(await (await fetch(`http://127.0.0.1:${port}/action`)).text()).toBe('true');
      // nginx or a tunnel on this machine: a loopback socket that forwards for someone.
      for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via', 'cf-connecting-ip']) {
        expect(await (await fetch(`http://127.0.0.1:${port}/page`, { headers: { [header]: '198.51.100.7' } })).text()).toBe('false');
      }
    } finally {
      server.close();
    }
  });

  it('read the peer from the socket, never from a header the client sends', async () => {
    stampPeerAddresses();
    const { server, port } = await serve(isLocal);
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('true');
      // Even knowing the stamp's name (random per process), a client on the network cannot claim loopback.
      const stampName = Object.keys(
        await new Promise<http.IncomingHttpHeaders>((resolve) => {
          const probe = http.createServer((request, response) => {
            resolve(request.headers);
            response.end();
          });
          probe.listen(0, '127.0.0.1', () => void fetch(`http://127.0.0.1:${(probe.address() as AddressInfo).port}/`).finally(() => probe.close()));
        }),
      ).find((name) => name.startsWith('x-tally-peer-'))!;
      expect(stampName).toMatch(/^x-tally-peer-[0-9a-f]{24}$/);
      const forged = await fetch(`http://${networkAddress()}:${port}/`, { headers: { [stampName]: '127.0.0.1' } });
      expect(await forged.text()).toBe('false'); // overwritten by the socket's own address
    } finally {
      server.close();
    }
  });
});
