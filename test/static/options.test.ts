import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidStaticOptionError, InvalidStaticRootError, StaticError } from '../../src/static/errors.js';
import { staticFiles } from '../../src/static/handler.js';

test('a root that is missing or a file is refused with STATIC_INVALID_ROOT', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'courier-opts-'));
  try {
    await writeFile(join(dir, 'file.txt'), 'x');
    assert.throws(() => staticFiles(join(dir, 'missing')), { code: 'STATIC_INVALID_ROOT' });
    assert.throws(() => staticFiles(join(dir, 'file.txt')), { code: 'STATIC_INVALID_ROOT' });
    try {
      staticFiles(join(dir, 'missing'));
    } catch (error) {
      assert.ok(StaticError.is(error) && InvalidStaticRootError.is(error) && !InvalidStaticOptionError.is(error));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('headers that could break a response are refused when the handler is made', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'courier-opts-'));
  try {
    assert.throws(() => staticFiles(dir, { headers: { 'X-A': 'b\r\nSet-Cookie: evil=1' } }), { code: 'STATIC_INVALID_OPTION' });
    assert.throws(() => staticFiles(dir, { headers: { 'Bad Name': 'x' } }), { code: 'STATIC_INVALID_OPTION' });
    assert.throws(() => staticFiles(dir, { dotfiles: 'show' as 'allow' }), { code: 'STATIC_INVALID_OPTION' });
    assert.equal(typeof staticFiles(dir, { headers: { 'X-Frame-Options': 'DENY' } }), 'function');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the public API serves a folder: createServer(staticFiles(dir))', async () => {
  const { createServer, staticFiles: publicStaticFiles, withAccessLog } = await import('../../src/index.js');
  const dir = await mkdtemp(join(tmpdir(), 'courier-opts-'));
  const lines: string[] = [];
  const server = createServer(withAccessLog(publicStaticFiles(dir), 'json', (line) => lines.push(line)));
  try {
    await writeFile(join(dir, 'hello.txt'), 'hello');
    await server.listen({ port: 0, hostname: '127.0.0.1' });
    const res = await fetch(`${server.url}hello.txt`, { signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hello');
    assert.equal(lines.length, 1);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
