// Properties that must hold for any input, checked with fast-check over hostile alphabets.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { negotiateEncoding } from '../../src/static/encoding.js';
import { isInside, parseRequestPath } from '../../src/static/path.js';
import { MAX_RANGE_SPECS, parseRange } from '../../src/static/range.js';
import { escapeLogText } from '../../src/server/access-log.js';

// Pieces that attackers combine: dots, slashes, encodings of both, NUL, UTF-8 and overlong forms.
const pathPiece = fc.constantFrom('/', '.', '..', '%2e', '%2E', '%2f', '%5c', '\\', '%00', '%c0%ae', '%252e', 'a', 'b.txt', '.env', '.well-known', '%', '%zz', 'f%C3%BCnke', ';', '?', '%2F%2E%2E');
const hostilePath = fc.array(pathPiece, { maxLength: 16 }).map((parts) => `/${parts.join('')}`);

test('parseRequestPath never yields a segment that could climb or hide a separator', () => {
  fc.assert(
    fc.property(hostilePath, fc.constantFrom('allow', 'deny', 'ignore' as const), (path, dotfiles) => {
      const result = parseRequestPath(path, '', dotfiles);
      if (result.kind === 'ok') {
        for (const s of result.segments) {
          assert.ok(s !== '' && s !== '.' && s !== '..', JSON.stringify(path));
          assert.ok(!/[/\\\0]/.test(s), JSON.stringify(path));
          if (dotfiles !== 'allow') assert.ok(!s.startsWith('.') || s === '.well-known', JSON.stringify(path));
        }
        assert.ok(isInside('/srv/root', join('/srv/root', ...result.segments)));
      } else if (result.kind === 'redirect') {
        assert.match(result.location, /^\/(?![/\\])/, JSON.stringify(path));
        // The canonical path is stable: asking for it again does not redirect.
        assert.notEqual(parseRequestPath(result.location, '', 'allow').kind, 'redirect');
      } else {
        assert.ok([400, 403, 404].includes(result.status));
      }
    }),
    { numRuns: 3000 },
  );
});

test('parseRange returns sorted, disjoint ranges inside the representation', () => {
  const spec = fc.oneof(
    fc.tuple(fc.nat(3000), fc.nat(3000)).map(([a, b]) => `${a}-${b}`),
    fc.nat(3000).map((a) => `${a}-`),
    fc.nat(3000).map((a) => `-${a}`),
    fc.constantFrom('', ' ', 'x', '-', '1-2-3', '+5', '0x10-'),
  );
  fc.assert(
    fc.property(fc.array(spec, { maxLength: 120 }), fc.nat(2000), (specs, size) => {
      const result = parseRange(`bytes=${specs.join(',')}`, size);
      if (result.kind !== 'ranges') return;
      assert.ok(result.ranges.length <= MAX_RANGE_SPECS);
      let previousEnd = -1;
      for (const r of result.ranges) {
        assert.ok(r.start >= 0 && r.start < r.end && r.end <= size);
        assert.ok(r.start > previousEnd);
        previousEnd = r.end;
      }
    }),
    { numRuns: 2000 },
  );
});

test('negotiateEncoding answers an offered coding or identity for any field value', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (value) => {
      assert.ok(['br', 'gzip', 'identity'].includes(negotiateEncoding(value, ['br', 'gzip'])));
      assert.ok(['gzip', 'identity'].includes(negotiateEncoding(value, ['gzip'])));
    }),
    { numRuns: 2000 },
  );
});

test('escapeLogText output is printable ASCII for any latin1 input', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 60 }), (text) => {
      assert.match(escapeLogText(text), /^[\x20-\x7e]*$/);
    }),
    { numRuns: 2000 },
  );
});
