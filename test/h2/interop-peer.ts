// A small h2c server and client made of H2Connection and node:net, for interop tests with real
// peers (node:http2, curl, nghttp, h2load). Test code only: courier's own server comes later.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { H2Connection, type H2ConnectionOptions, type ResponseHead } from '../../src/h2/index.js';

/** H2cServer is a listening test server and what went wrong in it. */
export interface H2cServer {
  port: number;
  /** errors lists connection errors (codes) and thrown exceptions. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * startH2cServer answers GET /hello with "hello", GET /bytes/N with N octets of a pattern (sent
 * under flow control), and POST /echo with "LENGTH SHA256" of the body it received.
 */
export async function startH2cServer(options: Partial<H2ConnectionOptions> = {}): Promise<H2cServer> {
  const errors: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const bodies = new Map<number, { path: string; chunks: Buffer[] }>();
    const outgoing = new Map<number, { data: Buffer; offset: number }>();
    const pump = (id: number): void => {
      const out = outgoing.get(id);
      if (out === undefined) return;
      out.offset += connection.sendData(id, out.data.subarray(out.offset), true);
      if (out.offset === out.data.length) outgoing.delete(id);
    };
    const respond = (id: number): void => {
      const request = bodies.get(id);
      bodies.delete(id);
      if (request === undefined) return;
      let body: Buffer;
      if (request.path === '/hello') body = Buffer.from('hello');
      else if (request.path.startsWith('/bytes/')) body = pattern(Number(request.path.slice(7)));
      else if (request.path === '/echo') {
        const all = Buffer.concat(request.chunks);
        body = Buffer.from(`${all.length} ${createHash('sha256').update(all).digest('hex')}`);
      } else body = Buffer.from('not found');
      const status = body.toString() === 'not found' ? '404' : '200';
      connection.sendHeaders(id, [[':status', status], ['content-type', 'text/plain'], ['content-length', String(body.length)]], false);
      outgoing.set(id, { data: body, offset: 0 });
      pump(id);
    };
    const connection: H2Connection = new H2Connection(
      {
        onSend: (bytes) => socket.write(bytes),
        onRequest: (id, head, endStream) => {
          bodies.set(id, { path: head.path ?? '', chunks: [] });
          if (endStream) respond(id);
        },
        onData: (id, data, endStream) => {
          bodies.get(id)?.chunks.push(Buffer.from(data));
          if (endStream) respond(id);
        },
        onWindowOpen: (id) => {
          if (id !== 0) pump(id);
          else for (const stream of [...outgoing.keys()]) pump(stream);
        },
        onStreamReset: (id) => {
          outgoing.delete(id);
          bodies.delete(id);
        },
        onConnectionError: (error) => {
          errors.push(error.code);
          socket.end();
        },
      },
      { role: 'server', ...options },
    );
    socket.on('data', (bytes: Buffer) => {
      try {
        connection.receive(bytes);
      } catch (error) {
        errors.push(String(error));
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** pattern returns `length` octets of a repeating, position-dependent pattern. */
export function pattern(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >>> 8)) & 0xff;
  return out;
}

/** ClientResult is one response an H2Connection client got. */
export interface ClientResult {
  head: ResponseHead;
  body: Buffer;
  trailers: [string, string][];
}

/** h2cRequests opens one connection to 127.0.0.1:port and makes the requests concurrently with H2Connection as the client. */
export function h2cRequests(port: number, requests: { fields: [string, string][]; body?: Buffer }[]): Promise<ClientResult[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const results = new Map<number, ClientResult>();
    const order: number[] = [];
    const outgoing = new Map<number, { data: Buffer; offset: number }>();
    let done = 0;
    const pump = (id: number): void => {
      const out = outgoing.get(id);
      if (out === undefined) return;
      out.offset += connection.sendData(id, out.data.subarray(out.offset), true);
      if (out.offset === out.data.length) outgoing.delete(id);
    };
    const finish = (): void => {
      done++;
      if (done === requests.length) {
        socket.end();
        resolve(order.map((id) => results.get(id) as ClientResult));
      }
    };
    const connection: H2Connection = new H2Connection(
      {
        onSend: (bytes) => socket.write(bytes),
        onResponse: (id, head, endStream) => {
          if (head.status < 200) return;
          results.set(id, { head, body: Buffer.alloc(0), trailers: [] });
          if (endStream) finish();
        },
        onData: (id, data, endStream) => {
          const result = results.get(id);
          if (result !== undefined) result.body = Buffer.concat([result.body, data]);
          if (endStream) finish();
        },
        onTrailers: (id, fields) => {
          const result = results.get(id);
          if (result !== undefined) result.trailers = fields;
          finish();
        },
        onWindowOpen: (id) => {
          if (id !== 0) pump(id);
          else for (const stream of [...outgoing.keys()]) pump(stream);
        },
        onStreamReset: (id, code) => reject(new Error(`stream ${id} reset with ${code}`)),
        onConnectionError: (error) => reject(error),
      },
      { role: 'client' },
    );
    socket.on('error', reject);
    socket.on('data', (bytes: Buffer) => connection.receive(bytes));
    socket.on('connect', () => {
      for (const request of requests) {
        const id = connection.request(request.fields, request.body === undefined);
        order.push(id);
        if (request.body !== undefined) {
          outgoing.set(id, { data: request.body, offset: 0 });
          pump(id);
        }
      }
    });
  });
}
