// The import graph of the built library (dist/src): value imports only, as Node loads them. Type
// imports are erased by the compiler (verbatimModuleSyntax), so they cannot make a cycle here.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function modules(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...modules(path));
    else if (entry.name.endsWith('.js')) out.push(path);
  }
  return out;
}

// import ... from './x.js', export ... from './x.js', import './x.js', import('./x.js')
const SPECIFIER = /(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|[;\s])import\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of modules(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const match of text.matchAll(SPECIFIER)) {
      const spec = match[1] ?? match[2];
      if (spec !== undefined) targets.push(resolve(dirname(file), spec));
    }
    edges.set(file, targets);
  }
  return edges;
}

function name(file: string): string {
  return relative(SRC, file);
}

test('the library has no import cycle (value imports, as Node loads them)', () => {
  const edges = graph();
  assert.ok(edges.size > 50, `found ${edges.size} modules under ${SRC}`);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      const s = state.get(next);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map(name).join(' -> '));
      else if (s === undefined && edges.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});

test('lower layers never import higher ones: http imports nothing of ours, the codecs only http', () => {
  const allowed: Record<string, string[]> = {
    http: ['http'],
    wire: ['http', 'wire'],
    h2: ['http', 'h2'],
  };
  const wrong: string[] = [];
  for (const [file, targets] of graph()) {
    const layer = name(file).split('/')[0] as string;
    const may = allowed[layer];
    if (may === undefined) continue;
    for (const target of targets) {
      const to = name(target).split('/')[0] as string;
      if (!may.includes(to)) wrong.push(`${name(file)} -> ${name(target)}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the client pool depends on neither redirects nor decompression', () => {
  const edges = graph();
  const reach = new Set<string>();
  const walk = (file: string): void => {
    for (const next of edges.get(file) ?? []) {
      if (!reach.has(next)) {
        reach.add(next);
        walk(next);
      }
    }
  };
  walk(join(SRC, 'client/origin-pool.js'));
  const names = [...reach].map(name);
  assert.ok(names.includes('client/h1-connection.js'), names.join(', '));
  assert.ok(!names.includes('client/redirect.js'), names.join(', '));
  assert.ok(!names.includes('client/decompress.js'), names.join(', '));
});
