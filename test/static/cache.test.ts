import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileCache } from '../../src/static/cache.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-cache-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { followSymlinks: false, dotfiles: 'ignore' as const };

describe('FileCache', () => {
  test('within the revalidation interval the disk is not asked again', async () => {
    await writeFile(join(dir, 'a.txt'), 'one');
    const cache = new FileCache(dir, { ...options, revalidateMs: 60_000 });
    const first = await cache.lookup(['a.txt']);
    await writeFile(join(dir, 'a.txt'), 'three');
    const second = await cache.lookup(['a.txt']);
    assert.equal(second, first);
    assert.equal(second.file?.size, 3);
  });

  test('after the interval a changed file gets a new version, an unchanged one keeps its bytes', async () => {
    await writeFile(join(dir, 'b.txt'), 'one');
    await writeFile(join(dir, 'c.txt'), 'same');
    const cache = new FileCache(dir, { ...options, revalidateMs: 0 });
    const b1 = (await cache.lookup(['b.txt'])).file;
    const c1 = (await cache.lookup(['c.txt'])).file;
    assert.ok(b1 !== null && c1 !== null);
    await cache.bytesOf(c1);
    await writeFile(join(dir, 'b.txt'), 'changed');
    const b2 = (await cache.lookup(['b.txt'])).file;
    const c2 = (await cache.lookup(['c.txt'])).file;
    assert.notEqual(b2, b1);
    assert.equal(b2?.size, 7);
    assert.notEqual(b2?.etag, b1.etag);
    assert.equal(c2, c1);
    assert.equal(Buffer.from(c2?.bytes ?? []).toString(), 'same');
  });

  test('a file that disappears becomes missing', async () => {
    await writeFile(join(dir, 'gone.txt'), 'x');
    const cache = new FileCache(dir, { ...options, revalidateMs: 0 });
    assert.equal((await cache.lookup(['gone.txt'])).entry.kind, 'file');
    await rm(join(dir, 'gone.txt'));
    const after = await cache.lookup(['gone.txt']);
    assert.equal(after.entry.kind, 'missing');
    assert.equal(after.file, null);
  });

  test('the memory budget evicts the least recently used bytes', async () => {
    const cache = new FileCache(dir, { ...options, revalidateMs: 60_000, maxBytes: 2500 });
    const files = [];
    for (const name of ['m1', 'm2', 'm3']) {
      await writeFile(join(dir, name), Buffer.alloc(1000, 1));
      const file = (await cache.lookup([name])).file;
      assert.ok(file !== null);
      files.push(file);
    }
    await cache.bytesOf(files[0]!);
    await cache.bytesOf(files[1]!);
    await cache.bytesOf(files[0]!); // m1 is now the most recent
    await cache.bytesOf(files[2]!);
    assert.equal(cache.residentBytes, 2000);
    assert.equal(files[1]!.bytes, null);
    assert.ok(files[0]!.bytes !== null);
    assert.ok(files[2]!.bytes !== null);
  });

  test('compressed variants are made once and counted in the budget', async () => {
    await writeFile(join(dir, 'z.txt'), 'compress me '.repeat(200));
    const cache = new FileCache(dir, { ...options, revalidateMs: 60_000 });
    const file = (await cache.lookup(['z.txt'])).file;
    assert.ok(file !== null);
    const [a, b] = await Promise.all([cache.compressedOf(file, 'br'), cache.compressedOf(file, 'br')]);
    assert.equal(a, b);
    await new Promise((r) => setImmediate(r));
    assert.equal(cache.residentBytes, file.size + a.length);
  });

  test('many lookups of a stale path share one disk check (single flight)', async () => {
    await writeFile(join(dir, 'hot.txt'), 'v1');
    const cache = new FileCache(dir, { ...options, revalidateMs: 0 });
    const first = await cache.lookup(['hot.txt']);
    assert.equal(cache.diskChecks, 1);
    await writeFile(join(dir, 'hot.txt'), 'version 2');
    // revalidateMs 0: the cached answer is stale at once, as after a freshness window lapses.
    const all = await Promise.all(Array.from({ length: 64 }, () => cache.lookup(['hot.txt'])));
    assert.equal(cache.diskChecks, 2);
    for (const lookup of all) assert.equal(lookup, all[0]);
    assert.notEqual(all[0]?.file, first.file);
    assert.equal(all[0]?.file?.size, 9);
    // The next stale lookup checks again: the flight is over.
    await cache.lookup(['hot.txt']);
    assert.equal(cache.diskChecks, 3);
  });

  test('a first lookup in flight is joined too, and a fresh one asks nothing', async () => {
    await writeFile(join(dir, 'new.txt'), 'x');
    const cache = new FileCache(dir, { ...options, revalidateMs: 60_000 });
    const all = await Promise.all(Array.from({ length: 16 }, () => cache.lookup(['new.txt'])));
    assert.equal(cache.diskChecks, 1);
    assert.equal(all[15], all[0]);
    assert.equal(cache.peek(['new.txt']), all[0]);
    await cache.lookup(['new.txt']);
    assert.equal(cache.diskChecks, 1);
  });

  test('while a revalidation is in flight peek answers nothing, so requests wait for it', async () => {
    await writeFile(join(dir, 'p.txt'), 'x');
    const cache = new FileCache(dir, { ...options, revalidateMs: 0 });
    await cache.lookup(['p.txt']);
    const pending = cache.lookup(['p.txt']);
    assert.equal(cache.peek(['p.txt']), undefined);
    assert.equal((await pending).file?.size, 1);
  });

  test('sidecars are found next to the file', async () => {
    await writeFile(join(dir, 's.js'), 'x');
    await writeFile(join(dir, 's.js.br'), 'y');
    const cache = new FileCache(dir, { ...options, revalidateMs: 0 });
    const file = (await cache.lookup(['s.js'])).file;
    assert.equal(file?.sidecars.br?.size, 1);
    assert.equal(file?.sidecars.gzip, undefined);
    const without = new FileCache(dir, { ...options, revalidateMs: 0, precompressed: false });
    assert.equal((await without.lookup(['s.js'])).file?.sidecars.br, undefined);
  });
});
