import assert from 'node:assert/strict';
import { once } from 'node:events';
import http2 from 'node:http2';
import { test } from 'node:test';
import * as tls from 'node:tls';
import { withAccessLog } from '../../src/server/access-log.js';
import { selfSigned } from '../support/tls.js';
import { connect, start } from './harness.js';

test('req.httpVersion is "1.0" or "1.1" as the request line says, and the access log prints it', { timeout: 10_000 }, async () => {
  const lines: string[] = [];
  const server = await start(withAccessLog((req) => ({ status: 200, body: req.httpVersion }), 'combined', (line) => lines.push(line)));
  const client = await connect(server);
  client.write('GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n');
  const replies = await client.replyCount(2);
  assert.deepEqual(
    replies.map((r) => r.body.toString()),
    ['1.0', '1.1'],
  );
  assert.match(lines[0] ?? '', /"GET \/a HTTP\/1\.0" 200 /);
  assert.match(lines[1] ?? '', /"GET \/b HTTP\/1\.1" 200 /);
  client.destroy();
  await server.close();
});

test('over TLS the server offers h2 first by ALPN, and http/1.1 to a client that offers only it', { timeout: 30_000 }, async () => {
  const cert = selfSigned();
  const server = await start((req) => ({ status: 200, body: req.httpVersion }), { tls: cert });
  // A client that prefers http/1.1 but offers h2 too gets h2: the server's order wins.
  const session = http2.connect(`https://127.0.0.1:${server.port}`, { ca: cert.cert, ALPNProtocols: ['http/1.1', 'h2'] });
  const version = await new Promise<string>((resolve, reject) => {
    const stream = session.request({ ':path': '/' });
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
  assert.equal(session.alpnProtocol, 'h2');
  assert.equal(version, '2');
  session.close();
  const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca: cert.cert, ALPNProtocols: ['http/1.1'] });
  await once(socket, 'secureConnect');
  assert.equal(socket.alpnProtocol, 'http/1.1');
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'end');
  const text = Buffer.concat(chunks).toString('latin1');
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(text, /\r\n\r\n1\.1$/);
  socket.destroy();
  await server.close();
});

test('an HTTP/2 request has httpVersion "2" and the access log prints HTTP/2.0', { timeout: 30_000 }, async () => {
  const lines: string[] = [];
  const server = await start(withAccessLog((req) => ({ status: 200, body: req.httpVersion }), 'combined', (line) => lines.push(line)));
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  const body = await new Promise<string>((resolve, reject) => {
    const stream = session.request({ ':path': '/two' });
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
  session.close();
  assert.equal(body, '2');
  assert.match(lines[0] ?? '', /"GET \/two HTTP\/2\.0" 200 1 /);
  await server.close();
});

test('listen({ host }) is accepted as node:net spells it; hostname wins when both are given', { timeout: 10_000 }, async () => {
  const { createServer } = await import('../../src/server/index.js');
  const a = createServer(() => ({ status: 200 }));
  await a.listen({ port: 0, host: '127.0.0.1' });
  assert.equal(a.hostname, '127.0.0.1');
  await a.close();
  const b = createServer(() => ({ status: 200 }));
  await b.listen({ port: 0, host: '0.0.0.0', hostname: '127.0.0.1' });
  assert.equal(b.hostname, '127.0.0.1');
  await b.close();
});
