import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { escapeHtml, formatSize, listingHtml, listingJson, prefersJson, readListing } from '../../src/static/listing.js';

describe('readListing', () => {
  test('folders come first, names sort naturally, dotfiles are hidden unless allowed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-listing-'));
    try {
      await mkdir(join(dir, 'zeta'));
      await mkdir(join(dir, '.git'));
      await writeFile(join(dir, 'file10.txt'), 'x');
      await writeFile(join(dir, 'file2.txt'), 'xy');
      await writeFile(join(dir, '.env'), 'secret');
      const entries = await readListing(dir, false);
      assert.deepEqual(entries.map((e) => e.name), ['zeta', 'file2.txt', 'file10.txt']);
      assert.equal(entries[1]?.size, 2);
      const all = await readListing(dir, true);
      assert.deepEqual(all.map((e) => e.name), ['.git', 'zeta', '.env', 'file2.txt', 'file10.txt']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('listing pages', () => {
  const entries = [
    { name: 'docs', isDirectory: true, size: 0, mtimeMs: 0 },
    { name: '<img src=x onerror=alert(1)>.txt', isDirectory: false, size: 2048, mtimeMs: 0 },
    { name: 'a "quoted" & \'odd\' #name?.txt', isDirectory: false, size: 5, mtimeMs: 0 },
  ];

  test('file names are HTML-escaped and links percent-encoded', () => {
    const html = listingHtml(['sub <b>'], entries);
    assert.equal(html.includes('<img src=x'), false);
    assert.equal(html.includes('<b>'), false);
    assert.ok(html.includes('&#60;img src=x onerror=alert(1)&#62;.txt'));
    assert.ok(html.includes('href="%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.txt"'));
    assert.ok(html.includes('href="a%20%22quoted%22%20%26%20&#39;odd&#39;%20%23name%3F.txt"'));
    assert.ok(html.includes('href="docs/"'));
  });

  test('the page has breadcrumbs, a parent link, sortable columns and dark mode', () => {
    const html = listingHtml(['a', 'b c'], entries);
    assert.ok(html.includes('<a href="/a/">a</a>'));
    assert.ok(html.includes('<a href="/a/b%20c/">b c</a>'));
    assert.ok(html.includes('href="../"'));
    assert.ok(html.includes('data-key="size"'));
    assert.ok(html.includes('prefers-color-scheme:dark'));
  });

  test('the root is "/" (not "~"), and icons are inline SVG, not emoji', () => {
    const html = listingHtml([], entries);
    assert.ok(html.includes('<title>Index of /</title>'));
    assert.ok(html.includes('<nav style="display:inline"><a href="/">/</a></nav>'));
    assert.equal(html.includes('~'), false);
    assert.equal(/\p{Extended_Pictographic}|\\1F4[0-9A-F]{2}/u.test(html), false);
    assert.equal(html.match(/<svg class="i"/g)?.length, entries.length);
  });

  test('the JSON listing names, types, sizes and URLs', () => {
    const parsed = JSON.parse(listingJson(['x'], entries)) as { path: string; entries: { name: string; type: string; size: number; url: string }[] };
    assert.equal(parsed.path, '/x/');
    assert.deepEqual(parsed.entries[0], { name: 'docs', type: 'directory', size: 0, modified: '1970-01-01T00:00:00.000Z', url: 'docs/' });
    assert.equal(parsed.entries[1]?.url, '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.txt');
  });

  test('formatSize and escapeHtml', () => {
    assert.equal(formatSize(999), '999 B');
    assert.equal(formatSize(1536), '1.5 KiB');
    assert.equal(formatSize(100 * 1024 * 1024), '100 MiB');
    assert.equal(escapeHtml(`<>&"'`), '&#60;&#62;&#38;&#34;&#39;');
  });
});

describe('prefersJson', () => {
  const table: [string | undefined, boolean][] = [
    [undefined, false],
    ['application/json', true],
    ['application/json, */*', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
    ['*/*', false],
    ['text/html, application/json', false],
    ['text/html;q=0.5, application/json', true],
    ['application/json;q=0', false],
  ];
  for (const [accept, expect] of table) test(String(accept), () => assert.equal(prefersJson(accept), expect));
});
