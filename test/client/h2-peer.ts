// A node:http2 server for the client's HTTP/2 tests: TLS with ALPN (h2, http/1.1) or h2c. It
// counts sessions and records the codes of streams reset by the client.
import { Buffer } from 'node:buffer';
import http2 from 'node:http2';
import { gzipSync } from 'node:zlib';
import { selfSigned } from '../support/tls.js';

/** H2Peer is a listening node:http2 server and what it saw. */
export interface H2Peer {
  url: string;
  /** ca is the server's certificate (TLS only). */
  ca: string;
  /** sessions counts the HTTP/2 sessions the server accepted. */
  sessions: number;
  /** resets lists [path, rstCode] of streams that closed with a nonzero code. */
  resets: Array<[string, number]>;
  /** onReset resolves once a stream to `path` was reset. */
  onReset(path: string): Promise<number>;
  close(): Promise<void>;
}

/** pattern returns `length` octets of a position-dependent pattern. */
export function pattern(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >>> 8)) & 0xff;
  return out;
}

let cached: { cert: string; key: string } | null = null;

/**
 * startH2Peer answers /hello, /bytes/N (N octets of pattern), POST /echo (the body back, byte for
 * byte), /endless (a body that never ends), /trailers, /early-hints (103 then 200), /goaway (the
 * session's GOAWAY after the response), /reset (RST_STREAM INTERNAL_ERROR inside the body) and
 * /headers (the request's header list as JSON), /gzip (a gzip-encoded body), /redirect (302 to
 * /hello) and /silent-body (5 octets, then nothing).
 */
export async function startH2Peer(options: { tls: boolean; maxConcurrentStreams?: number }): Promise<H2Peer> {
  if (options.tls && cached === null) cached = selfSigned();
  const settings = { maxConcurrentStreams: options.maxConcurrentStreams ?? 100 };
  const server = options.tls
    ? http2.createSecureServer({ cert: cached?.cert, key: cached?.key, allowHTTP1: true, settings })
    : http2.createServer({ settings });
  const waiters = new Map<string, (code: number) => void>();
  const peer: H2Peer = {
    url: '',
    ca: cached?.cert ?? '',
    sessions: 0,
    resets: [],
    onReset: (path) => new Promise((resolve) => waiters.set(path, resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session: http2.ServerHttp2Session) => {
    peer.sessions++;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
  });
  // HTTP/1.1 (allowHTTP1 over TLS) reaches 'request'; HTTP/2 streams are answered under 'stream'.
  if (options.tls) server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    if (req.httpVersionMajor !== 1) return;
    res.end(req.url === '/hello' ? 'hello' : 'not found');
  });
  // (Only over TLS: a 'request' listener puts node's compatibility layer on every stream, and it sends its own trailers.)
  server.on('stream', (stream, headers) => {
    const path = String(headers[':path']).split('?')[0] as string;
    stream.on('error', () => {});
    stream.on('close', () => {
      if (stream.rstCode !== 0) {
        peer.resets.push([path, stream.rstCode]);
        waiters.get(path)?.(stream.rstCode);
      }
    });
    if (path === '/hello') {
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      stream.end('hello');
    } else if (path.startsWith('/bytes/')) {
      const body = pattern(Number(path.slice(7)));
      stream.respond({ ':status': 200, 'content-length': body.length });
      stream.end(body);
    } else if (path === '/echo') {
      stream.respond({ ':status': 200 });
      stream.pipe(stream);
    } else if (path === '/endless') {
      stream.respond({ ':status': 200 });
      const timer = setInterval(() => stream.write(Buffer.alloc(1024, 0x61)), 5);
      stream.on('close', () => clearInterval(timer));
    } else if (path === '/trailers') {
      stream.respond({ ':status': 200 }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-checksum': 'abc' }));
      stream.end('body');
    } else if (path === '/early-hints') {
      stream.additionalHeaders({ ':status': 103, link: '</style.css>; rel=preload' });
      stream.respond({ ':status': 200 });
      stream.end('final');
    } else if (path === '/goaway') {
      stream.respond({ ':status': 200 });
      stream.end('bye', () => stream.session?.goaway(0));
    } else if (path === '/reset') {
      stream.respond({ ':status': 200 });
      stream.write('partial', () => stream.destroy(new Error('gone')));
    } else if (path === '/gzip') {
      stream.respond({ ':status': 200, 'content-encoding': 'gzip' });
      stream.end(gzipSync(Buffer.from('squeezed over h2')));
    } else if (path === '/redirect') {
      stream.respond({ ':status': 302, location: '/hello' });
      stream.end();
    } else if (path === '/silent-body') {
      stream.respond({ ':status': 200 });
      stream.write('first');
    } else if (path === '/headers') {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(JSON.stringify(headers));
    } else {
      stream.respond({ ':status': 404 });
      stream.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  peer.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return peer;
}
