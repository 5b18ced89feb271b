// docs/h2-conformance.md stays true to the conformance suites: every test they define is listed
// in the table (by name, in backticks), and every name the table lists is a test that exists.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = process.cwd();
const SOURCES = join(ROOT, 'test', 'h2');

/** testNames lists the names the conformance sources give their tests: table cases (plain or made by malformed()/accepted()) and test() calls. */
function testNames(): string[] {
  const names: string[] = [];
  for (const file of readdirSync(SOURCES).filter((f) => /^conformance-.*\.test\.ts$/.test(f) && f !== 'conformance-table.test.ts')) {
    const source = readFileSync(join(SOURCES, file), 'utf8');
    for (const match of source.matchAll(/^\s+name: '((?:[^'\\]|\\.)*)',$/gm)) names.push(unescape(match[1] as string));
    for (const match of source.matchAll(/^\s+(?:malformed|accepted)\('[^']*', '((?:[^'\\]|\\.)*)'/gm)) names.push(unescape(match[1] as string));
    for (const match of source.matchAll(/^test\('((?:[^'\\]|\\.)*)'/gm)) names.push(unescape(match[1] as string).replace(/^§[\d.]+ /, ''));
  }
  return names;
}

function unescape(literal: string): string {
  return literal.replace(/\\(.)/g, '$1');
}

/** listed returns the backticked names in the table rows of the document. */
function listed(): Set<string> {
  const doc = readFileSync(join(ROOT, 'docs', 'h2-conformance.md'), 'utf8');
  const names = new Set<string>();
  for (const line of doc.split('\n').filter((l) => l.startsWith('| '))) {
    const cell = line.split(' | ').at(-1) ?? '';
    for (const match of cell.matchAll(/`([^`]+)`/g)) names.add(match[1] as string);
  }
  return names;
}

test('docs/h2-conformance.md lists every conformance test, and only those', () => {
  const names = testNames();
  assert.ok(names.length > 80, `only ${names.length} tests found: the sources moved?`);
  const table = listed();
  assert.deepEqual(names.filter((n) => !table.has(n)), [], 'tests missing from the table');
  const known = new Set(names);
  assert.deepEqual([...table].filter((n) => !known.has(n)), [], 'table rows naming no test');
});
