import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

/** listen starts a server on 127.0.0.1 with a free port and returns its base URL. */
export async function listen(server: HttpServer | NetServer): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** close stops a server and drops its open sockets. */
export async function close(server: HttpServer | NetServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** httpServer starts a node:http server with the handler and tracks its sockets. */
export async function httpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: HttpServer; url: string; sockets: Set<Socket> }> {
  const server = createHttpServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await listen(server);
  return { server, url, sockets };
}

/**
 * rawServer starts a node:net server; onRequest is called with each socket and the bytes of each
 * request head (split on the blank line), so tests can answer with exact bytes.
 */
export async function rawServer(
  onRequest: (socket: Socket, head: string, index: number) => void,
): Promise<{ server: NetServer; url: string; connections: () => number }> {
  let connections = 0;
  const server = createNetServer((socket) => {
    connections++;
    let buffered = '';
    let index = 0;
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end + 4);
        buffered = buffered.slice(end + 4);
        const length = /content-length:\s*(\d+)/i.exec(head);
        if (length !== null) buffered = buffered.slice(Number(length[1]));
        onRequest(socket, head, index++);
      }
    });
  });
  const url = await listen(server);
  return { server, url, connections: () => connections };
}

/** readAll collects an async iterable of bytes into one Buffer. */
export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts);
}
