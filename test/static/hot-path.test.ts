// The hot path: once a small file is cached and fresh, staticFiles answers without a promise,
// which lets the engine write the response in the same tick.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ServerRequest, ServerResponse } from '../../src/server/types.js';
import { staticFiles } from '../../src/static/handler.js';
import { withAccessLog } from '../../src/server/access-log.js';
import { Fields } from '../../src/wire/index.js';

function requestFor(path: string, headers: [string, string][] = []): ServerRequest {
  const fields = new Fields();
  fields.append('Host', '127.0.0.1');
  for (const [name, value] of headers) fields.append(name, value);
  return {
    method: 'GET',
    target: path,
    path,
    query: '',
    httpVersion: '1.1',
    headers: fields,
    hasBody: false,
    body: (async function* () {})(),
    signal: new AbortController().signal,
    remoteAddress: '127.0.0.1',
    remotePort: 40000,
    isTls: false,
  };
}

function isPromise(value: unknown): value is Promise<ServerResponse> {
  return typeof (value as { then?: unknown }).then === 'function';
}

test('a fresh cached file is answered synchronously, also through the access log', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'courier-hot-'));
  try {
    await writeFile(join(dir, 'index.html'), '<h1>hot</h1>');
    const lines: string[] = [];
    const handler = withAccessLog(staticFiles(dir, { revalidateMs: 60_000 }), 'combined', (line) => lines.push(line));
    const first = handler(requestFor('/index.html'));
    assert.ok(isPromise(first), 'the first request reads the disk');
    assert.equal((await first).status, 200);
    const second = handler(requestFor('/index.html'));
    assert.ok(!isPromise(second), 'the second request is answered from memory');
    assert.equal(second.status, 200);
    assert.equal(Buffer.from(second.body as Uint8Array).toString(), '<h1>hot</h1>');
    const folder = handler(requestFor('/'));
    assert.equal((await folder).status, 200);
    assert.ok(!isPromise(handler(requestFor('/'))), 'a folder index is hot too');
    const notModified = handler(requestFor('/index.html', [['If-None-Match', (second.headers as Record<string, string>).ETag as string]]));
    assert.ok(!isPromise(notModified));
    assert.equal(notModified.status, 304);
    assert.equal(lines.length, 5);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
