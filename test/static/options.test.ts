import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StaticError } from '../../src/static/errors.js';
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
      assert.ok(StaticError.is(error));
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
