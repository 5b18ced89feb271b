import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediaTypeFor } from '../../src/static/mime.js';

test('common web types come from mime-db with charset=utf-8 for text', () => {
  const table: [string, string, boolean][] = [
    ['index.html', 'text/html; charset=utf-8', true],
    ['app.js', 'text/javascript; charset=utf-8', true],
    ['app.mjs', 'text/javascript; charset=utf-8', true],
    ['style.css', 'text/css; charset=utf-8', true],
    ['data.json', 'application/json; charset=utf-8', true],
    ['logo.svg', 'image/svg+xml; charset=utf-8', true],
    ['photo.png', 'image/png', false],
    ['photo.JPG', 'image/jpeg', false],
    ['font.woff2', 'font/woff2', false],
    ['clip.mp4', 'video/mp4', false],
    ['module.wasm', 'application/wasm', true],
    ['notes.txt', 'text/plain; charset=utf-8', true],
    ['README.md', 'text/markdown; charset=utf-8', true],
    ['app.webmanifest', 'application/manifest+json; charset=utf-8', true],
  ];
  for (const [name, type, isCompressible] of table) {
    assert.deepEqual(mediaTypeFor(name), { contentType: type, isCompressible }, name);
  }
});

test('unknown or missing extensions are application/octet-stream', () => {
  for (const name of ['file', 'file.unknownext', '.bashrc', '/dir.d/file', 'trailing.']) {
    assert.equal(mediaTypeFor(name).contentType, 'application/octet-stream', name);
  }
});
