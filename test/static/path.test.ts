import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeSegment, encodePath, isInside, parseRequestPath, resolveOnDisk } from '../../src/static/path.js';

describe('parseRequestPath', () => {
  const table: { name: string; input: string; query?: string; expect: unknown }[] = [
    { name: 'root', input: '/', expect: { kind: 'ok', segments: [], hasTrailingSlash: true } },
    { name: 'plain file', input: '/a/b.txt', expect: { kind: 'ok', segments: ['a', 'b.txt'], hasTrailingSlash: false } },
    { name: 'folder with slash', input: '/a/', expect: { kind: 'ok', segments: ['a'], hasTrailingSlash: true } },
    { name: 'percent-encoded UTF-8 decoded once', input: '/f%C3%BCnke.txt', expect: { kind: 'ok', segments: ['fünke.txt'], hasTrailingSlash: false } },
    { name: 'space', input: '/a%20b', expect: { kind: 'ok', segments: ['a b'], hasTrailingSlash: false } },
    { name: 'double-encoded stays encoded', input: '/%252e%252e/x', expect: { kind: 'ok', segments: ['%2e%2e', 'x'], hasTrailingSlash: false } },
    { name: 'well-known allowed', input: '/.well-known/security.txt', expect: { kind: 'ok', segments: ['.well-known', 'security.txt'], hasTrailingSlash: false } },
    { name: 'dot segment redirects', input: '/a/./b', expect: { kind: 'redirect', location: '/a/b' } },
    { name: 'dot-dot inside root redirects', input: '/a/../b', expect: { kind: 'redirect', location: '/b' } },
    { name: 'encoded dot-dot inside root redirects', input: '/a/%2e%2E/b', expect: { kind: 'redirect', location: '/b' } },
    { name: 'double slash redirects', input: '/a//b', expect: { kind: 'redirect', location: '/a/b' } },
    { name: 'leading double slash never gives //', input: '//evil.example/x', expect: { kind: 'redirect', location: '/evil.example/x' } },
    { name: 'many leading slashes', input: '////x', expect: { kind: 'redirect', location: '/x' } },
    { name: 'redirect keeps the query', input: '/a/./b', query: 'q=1', expect: { kind: 'redirect', location: '/a/b?q=1' } },
    { name: 'trailing dot means folder', input: '/a/.', expect: { kind: 'redirect', location: '/a/' } },
    { name: 'redirect re-encodes', input: '/x/../f%C3%BCnke%20a.txt', expect: { kind: 'redirect', location: '/f%C3%BCnke%20a.txt' } },
    { name: 'climbing above root', input: '/../etc/passwd', expect: { kind: 'error', status: 403, code: 'STATIC_TRAVERSAL' } },
    { name: 'encoded climbing', input: '/%2e%2e/%2e%2e/etc/passwd', expect: { kind: 'error', status: 403, code: 'STATIC_TRAVERSAL' } },
    { name: 'climbing after descending', input: '/a/../../etc', expect: { kind: 'error', status: 403, code: 'STATIC_TRAVERSAL' } },
    { name: 'encoded slash', input: '/a%2f..%2f..%2fetc', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'encoded backslash', input: '/..%5c..%5cetc', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'raw backslash', input: '/..\\..\\etc', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'encoded NUL', input: '/a.txt%00.html', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'bad escape', input: '/a%zz', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'truncated escape', input: '/a%2', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'invalid UTF-8', input: '/%c0%ae%c0%ae/etc', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'overlong UTF-8 dot', input: '/%e0%80%ae', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'not starting with slash', input: 'a/b', expect: { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' } },
    { name: 'dotfile hidden', input: '/.env', expect: { kind: 'error', status: 404, code: 'STATIC_DOTFILE' } },
    { name: 'dot folder hidden', input: '/.git/config', expect: { kind: 'error', status: 404, code: 'STATIC_DOTFILE' } },
    { name: 'encoded dotfile hidden', input: '/%2egit/config', expect: { kind: 'error', status: 404, code: 'STATIC_DOTFILE' } },
    { name: 'dotfile reached by dot-dot hidden', input: '/a/../.env', expect: { kind: 'error', status: 404, code: 'STATIC_DOTFILE' } },
    { name: 'nested well-known is a dotfolder', input: '/a/.well-known/x', expect: { kind: 'error', status: 404, code: 'STATIC_DOTFILE' } },
    { name: 'dotfile inside well-known hidden', input: '/.well-known/.secret', expect: { kind: 'error', status: 404, code: 'STATIC_DOTFILE' } },
  ];
  for (const { name, input, query, expect } of table) {
    test(`${name}: ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parseRequestPath(input, query ?? '', 'ignore'), expect);
    });
  }

  test('dotfiles deny answers 403 and allow serves', () => {
    assert.deepEqual(parseRequestPath('/.env', '', 'deny'), { kind: 'error', status: 403, code: 'STATIC_DOTFILE' });
    assert.deepEqual(parseRequestPath('/.env', '', 'allow'), { kind: 'ok', segments: ['.env'], hasTrailingSlash: false });
  });

  test('every redirect location is a same-origin absolute path', () => {
    const hostile = ['//x', '/./\\/x', '/.//x', '/%2e//x', '/a/..//b', '///a/../b', '/./', '/%2e/%2e/'];
    for (const input of hostile) {
      const result = parseRequestPath(input, '', 'ignore');
      if (result.kind !== 'redirect') continue;
      assert.match(result.location, /^\/(?!\/)/, input);
      assert.doesNotMatch(result.location, /^\/[\\/]/, input);
    }
  });
});

describe('decodeSegment and encodePath', () => {
  test('plain ASCII is returned as is', () => {
    assert.equal(decodeSegment('index.html'), 'index.html');
  });
  test('latin1 bytes of a raw UTF-8 name decode as UTF-8', () => {
    assert.equal(decodeSegment(Buffer.from('fünke', 'utf8').toString('latin1')), 'fünke');
  });
  test('encodePath round-trips awkward names', () => {
    const segments = ['a b', 'fünke.txt', '100%', '#?'];
    const encoded = encodePath(segments, false);
    assert.equal(encoded, '/a%20b/f%C3%BCnke.txt/100%25/%23%3F');
    const back = parseRequestPath(encoded, '', 'ignore');
    assert.deepEqual(back, { kind: 'ok', segments, hasTrailingSlash: false });
  });
  test('encodePath of no segments is the root', () => {
    assert.equal(encodePath([], false), '/');
  });
});

describe('isInside', () => {
  test('containment is judged with path.relative, not a string prefix', () => {
    assert.equal(isInside('/srv/root', '/srv/root'), true);
    assert.equal(isInside('/srv/root', '/srv/root/a/b'), true);
    assert.equal(isInside('/srv/root', '/srv/root-sibling/secret'), false);
    assert.equal(isInside('/srv/root', '/srv'), false);
    assert.equal(isInside('/srv/root', '/etc/passwd'), false);
    assert.equal(isInside('/srv/root', '/srv/root/..data'), true);
  });
});

describe('resolveOnDisk', () => {
  let base = '';
  let root = '';
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'courier-path-'));
    root = join(base, 'root');
    await mkdir(join(root, 'sub'), { recursive: true });
    await mkdir(join(base, 'root-sibling'));
    await writeFile(join(root, 'sub', 'a.txt'), 'a');
    await writeFile(join(root, '.secret'), 's');
    await writeFile(join(base, 'root-sibling', 'outside.txt'), 'o');
    await symlink(join(base, 'root-sibling', 'outside.txt'), join(root, 'escape.txt'));
    await symlink(join(root, 'sub', 'a.txt'), join(root, 'inside-link.txt'));
    await symlink(join(root, '.secret'), join(root, 'to-secret.txt'));
    await symlink(join(root, 'nowhere'), join(root, 'broken.txt'));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });
  const strict = { followSymlinks: false, dotfiles: 'ignore' as const };

  test('a file and a folder resolve', async () => {
    assert.equal((await resolveOnDisk(root, ['sub', 'a.txt'], strict)).kind, 'file');
    assert.equal((await resolveOnDisk(root, ['sub'], strict)).kind, 'directory');
  });
  test('a missing file is missing', async () => {
    assert.equal((await resolveOnDisk(root, ['nope.txt'], strict)).kind, 'missing');
    assert.equal((await resolveOnDisk(root, ['sub', 'a.txt', 'below'], strict)).kind, 'missing');
  });
  test('a symlink leading outside the root is refused unless followSymlinks', async () => {
    assert.deepEqual(await resolveOnDisk(root, ['escape.txt'], strict), { kind: 'refused', status: 403, code: 'STATIC_OUTSIDE_ROOT' });
    assert.equal((await resolveOnDisk(root, ['escape.txt'], { ...strict, followSymlinks: true })).kind, 'file');
  });
  test('a symlink inside the root is served', async () => {
    assert.equal((await resolveOnDisk(root, ['inside-link.txt'], strict)).kind, 'file');
  });
  test('a symlink to a dotfile follows the dotfile policy', async () => {
    assert.deepEqual(await resolveOnDisk(root, ['to-secret.txt'], strict), { kind: 'refused', status: 404, code: 'STATIC_DOTFILE' });
  });
  test('a broken symlink is missing', async () => {
    assert.equal((await resolveOnDisk(root, ['broken.txt'], strict)).kind, 'missing');
  });
});
