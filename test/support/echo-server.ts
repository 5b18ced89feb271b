// The peer the client and CLI tests talk to: a node:http server on 127.0.0.1 that records every
// request it reads (method, target, version, fields in order, body) and answers it by route.
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Seen is one request as the echo server read it; rawHeaders keep order and case. */
export interface Seen {
  method: string;
  url: string;
  version: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

/** Route answers one request, whose body was read whole; return false to fall through to the default answer. */
export type Route = (req: IncomingMessage, res: ServerResponse, seen: Seen) => boolean | void;

/** hello answers `200 hello METHOD` as text/plain. */
export const hello: Route = (req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${req.method}\n`);
};

/** echoJson answers the request itself as JSON: method, url, version, headers and the body as UTF-8. */
export const echoJson: Route = (_req, res, seen) => {
  const { method, url, version, headers } = seen;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ method, url, version, headers, body: seen.body.toString('utf8') }));
};

/** EchoServer is a running echo server. */
export interface EchoServer {
  readonly server: Server;
  /** base is `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly base: string;
  readonly port: number;
  /** seen holds every request read, in order. */
  readonly seen: Seen[];
  /** close drops the open connections and stops listening. */
  close(): Promise<void>;
}

/**
 * startEchoServer listens on 127.0.0.1 with a free port. Each request is recorded once its body
 * is read, then answered by the route of its path (the target without its query), else by
 * `fallback` (hello unless given).
 */
export async function startEchoServer(routes: Record<string, Route> = {}, fallback: Route = hello): Promise<EchoServer> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const record: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        version: req.httpVersion,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(parts),
      };
      seen.push(record);
      const route = routes[(req.url ?? '/').split('?')[0] as string];
      if (route !== undefined && route(req, res, record) !== false) return;
      fallback(req, res, record);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    server,
    base: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: async () => {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
