import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { close, rawServer } from './helpers.js';

/** Each fixture is what a misbehaving server writes, then it closes (unless stated otherwise). */
const table: Array<{ name: string; response: string; code: string }> = [
  { name: 'duplicate Content-Length with different values', response: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', code: 'CLIENT_PROTOCOL' },
  { name: 'Content-Length list with different values', response: 'HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd', code: 'CLIENT_PROTOCOL' },
  { name: 'negative Content-Length', response: 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'Transfer-Encoding together with Content-Length', response: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'bad chunk size', response: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'chunk data not followed by CRLF', response: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'NUL in a header value', response: 'HTTP/1.1 200 OK\r\nX-Evil: a\0b\r\nContent-Length: 0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'bare CR in a header value', response: 'HTTP/1.1 200 OK\r\nX-Evil: a\rb\r\nContent-Length: 0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'obs-fold continuation line', response: 'HTTP/1.1 200 OK\r\nX-A: a\r\n  folded\r\nContent-Length: 0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'whitespace before the colon', response: 'HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\nabc', code: 'CLIENT_PROTOCOL' },
  { name: 'bare LF line endings', response: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok', code: 'CLIENT_PROTOCOL' },
  { name: 'non-digit status code', response: 'HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'HTTP/2.0 status line', response: 'HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'not HTTP at all', response: 'SSH-2.0-OpenSSH_9.6\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'unknown transfer coding', response: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: zstd, chunked\r\n\r\n0\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'an unasked-for 101 protocol switch', response: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: evil\r\nConnection: upgrade\r\n\r\n', code: 'CLIENT_PROTOCOL' },
  { name: 'head larger than the limit', response: `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`, code: 'CLIENT_PROTOCOL' },
  { name: 'body truncated before Content-Length', response: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', code: 'CLIENT_PARTIAL_BODY' },
  { name: 'chunked body truncated inside a chunk', response: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab', code: 'CLIENT_PARTIAL_BODY' },
  { name: 'chunked body truncated before the last chunk', response: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n', code: 'CLIENT_PARTIAL_BODY' },
  { name: 'connection closed inside the head', response: 'HTTP/1.1 200 OK\r\nContent-Le', code: 'CLIENT_PROTOCOL' },
  { name: 'connection closed before any byte', response: '', code: 'CLIENT_SOCKET_CLOSED' },
];

async function outcome(url: string, agent: Agent): Promise<unknown> {
  try {
    const res = await request(url, { agent });
    await res.body.text();
    return 'accepted';
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
}

for (const mode of ['whole', 'byte by byte'] as const) {
  describe(`malformed responses are errors, never data (${mode})`, () => {
    for (const row of table) {
      test(`${row.name} fails with ${row.code}`, { timeout: 5000 }, async () => {
        const { server, url } = await rawServer((socket) => {
          if (mode === 'whole') {
            socket.end(row.response, 'latin1');
            return;
          }
          const bytes = Buffer.from(row.response, 'latin1');
          let i = 0;
          const next = (): void => {
            if (socket.destroyed) return;
            if (i >= bytes.length) {
              socket.end();
              return;
            }
            // Past the first 300 bytes, bigger steps keep the 20 KB fixture quick.
            const step = i < 300 ? 1 : 4096;
            socket.write(bytes.subarray(i, i + step), () => setImmediate(next));
            i += step;
          };
          next();
        });
        const agent = new Agent();
        assert.equal(await outcome(url, agent), row.code);
        await agent.close();
        await close(server);
      });
    }
  });
}

test('the error message names the server and what was wrong', { timeout: 5000 }, async () => {
  const { server, url } = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'));
  const agent = new Agent();
  const error = (await request(url, { agent }).catch((e: unknown) => e)) as Error & { cause: { reason: string } };
  assert.match(error.message, new RegExp(`^Invalid response from ${new URL(url).host.replace('.', '\\.')}: `));
  assert.equal(error.cause.reason, 'WIRE_INVALID_CONTENT_LENGTH');
  await agent.close();
  await close(server);
});
