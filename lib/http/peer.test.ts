import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackRequest, stampPeerAddresses } from './peer';

/** A real server whose handler turns the Node request's headers into Fetch headers, as Next.js does. */
async function serve(handler: (headers: Headers) => string) {
  const server = http.createServer((request, response) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
    response.end(handler(headers));
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, port: (server.address() as AddressInfo).port };
}

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
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    expect(address, 'this test needs a non-loopback IPv4 address on the machine').toBeTruthy();
    const server = http.createServer((request, response) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
      response.end(String(isLoopbackRequest(headers)));
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve)); // every interface, as `next start`
    try {
      const port = (server.address() as AddressInfo).port;
      expect(await (await fetch(`http://${address}:${port}/`, { headers: { 'x-forwarded-for': '127.0.0.1', host: 'localhost' } })).text()).toBe('false');
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('true');
    } finally {
      server.close();
    }
  });

  it("keep the first request's peer when Next.js calls itself on its behalf, and count a proxy on this machine as not local", async () => {
    stampPeerAddresses();
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)!.address;
    // As Next.js does for an action that redirects (or is forwarded): fetch itself at localhost with the request's headers.
    const server = http.createServer((request, response) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
      if (request.url === '/action') {
        headers.delete('connection');
        headers.delete('host');
        void fetch(`http://localhost:${(server.address() as AddressInfo).port}/page`, { headers })
          .then((r) => r.text())
          .then((text) => response.end(text));
        return;
      }
      response.end(String(isLoopbackRequest(headers)));
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      expect(await (await fetch(`http://${address}:${port}/action`)).text()).toBe('false');
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
    const { server, url, port } = await serve((headers) => String(isLoopbackRequest(headers)));
    try {
      expect(await (await fetch(url)).text()).toBe('true');
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
      const address = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)!.address;
      const forged = await fetch(`http://${address}:${port}/`, { headers: { [stampName]: '127.0.0.1' } });
      expect(await forged.text()).toBe('false'); // overwritten by the socket's own address
    } finally {
      server.close();
    }
  });
});
