// Test harness for the server suites: a server on 127.0.0.1 port 0, and raw connections (the
// shared raw client of test/support, which reads responses strictly with the codec).
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import { after } from 'node:test';
import { createServer, type Server, type ServerOptions } from '../../src/server/index.js';
import { RawClient, rawConnect, type RawResponse } from '../support/raw-client.js';
import type { Handler } from '../../src/server/types.js';

/** Reply is one response as the shared raw client read it (head, body, trailers, head text). */
export type Reply = RawResponse;

const servers = new Set<Server>();
const sockets = new Set<net.Socket>();

// A test that fails midway must not keep its file's process alive: close what is left.
after(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all([...servers].map((s) => s.close()));
});

/**
 * start listens on 127.0.0.1:0; errors the server reports land in `errors`. Whatever a test
 * leaves open is closed after the file's tests (shutdownTimeout 2 s unless given).
 */
export async function start(handler: Handler, options: ServerOptions = {}): Promise<Server & { errors: unknown[] }> {
  const errors: unknown[] = [];
  const server = createServer(handler, { onError: (e) => errors.push(e), shutdownTimeout: 2000, ...options });
  await server.listen({ port: 0, hostname: '127.0.0.1' });
  servers.add(server);
  return Object.assign(server, { errors });
}

/** Client is the shared raw client: requests as bytes, responses read strictly by the codec. */
export { RawClient as Client };

/** connect opens a raw client connection to the server (closed after the file's tests if left open). */
export async function connect(server: { readonly port: number }): Promise<RawClient> {
  const client = await rawConnect(server.port);
  sockets.add(client.socket);
  return client;
}

/** get is a minimal GET request text. */
export function get(path = '/', extra = ''): string {
  return `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;
}

/** text reads a whole async iterable of bytes as UTF-8. */
export async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
