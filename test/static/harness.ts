// Shared by the static server's socket tests: a fixture folder with awkward names, a running
// server on 127.0.0.1, and request text for the raw client of test/support.
import { Buffer } from 'node:buffer';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { createServer, type Server } from '../../src/server/index.js';
import { staticFiles, type StaticOptions } from '../../src/static/handler.js';

/** SECRET is the content of files that must never be served; tests look for it in every body. */
export const SECRET = 'TOP-SECRET-7f3a9c';

/** Fixture is a temporary folder tree: `root` is served, `outside` sits next to it. */
export interface Fixture {
  readonly base: string;
  readonly root: string;
  /** big is the content of /big.bin (larger than the in-memory limit). */
  readonly big: Buffer;
  /** text is the content of /text.txt (compressible, above the compression threshold). */
  readonly text: string;
  cleanup(): Promise<void>;
}

/** makeFixture writes the folder tree the socket tests serve. */
export async function makeFixture(): Promise<Fixture> {
  const base = await mkdtemp(join(tmpdir(), 'courier-static-'));
  const root = join(base, 'root');
  const text = 'The quick brown fox jumps over the lazy dog.\n'.repeat(200);
  const big = Buffer.alloc(700 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 10)) & 0xff;
  const files: Record<string, string | Buffer> = {
    'index.html': '<!doctype html><title>home</title><h1>home</h1>\n',
    'text.txt': text,
    'small.txt': 'hello\n',
    'empty.txt': '',
    'big.bin': big,
    'app.js': 'export const answer = 42;\n'.repeat(100),
    'app.js.br': brotliCompressSync(Buffer.from('export const answer = 42;\n'.repeat(100))),
    'app.js.gz': gzipSync(Buffer.from('export const answer = 42;\n'.repeat(100))),
    'with space.txt': 'space\n',
    'fünke.txt': 'umlaut\n',
    '.env': SECRET,
    '.git/config': SECRET,
    '.well-known/security.txt': 'Contact: mailto:security@example.com\n',
    'docs/index.html': '<!doctype html><title>docs</title>\n',
    'files/a.txt': 'a\n',
    'files/<b>&amp;.txt': 'escaped\n',
    'files/sub/b.txt': 'b\n',
    'logo.png': Buffer.from('89504e470d0a1a0a', 'hex'),
  };
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
  }
  await writeFile(join(base, 'root-sibling-secret.txt'), SECRET);
  await mkdir(join(base, 'root-sibling'));
  await writeFile(join(base, 'root-sibling', 'secret.txt'), SECRET);
  await symlink(join(base, 'root-sibling', 'secret.txt'), join(root, 'escape.txt'));
  await symlink(join(base, 'root-sibling'), join(root, 'escape-dir'));
  await symlink(join(root, 'small.txt'), join(root, 'inside-link.txt'));
  return { base, root, big, text, cleanup: () => rm(base, { recursive: true, force: true }) };
}

/** startStatic serves a folder on 127.0.0.1 with a free port. */
export async function startStatic(root: string, options: StaticOptions = {}): Promise<Server> {
  const server = createServer(staticFiles(root, { revalidateMs: 0, ...options }), { onError: () => {} });
  return server.listen({ port: 0, hostname: '127.0.0.1' });
}

/** request builds a GET (or other method) request with Connection: close and extra header lines. */
export function request(target: string, headers: Record<string, string> = {}, method = 'GET'): string {
  let out = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(headers)) out += `${name}: ${value}\r\n`;
  return `${out}\r\n`;
}
