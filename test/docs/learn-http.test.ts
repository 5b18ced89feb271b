// docs/learn-http.md cannot rot: every command in it runs here, in a fresh lessons folder, with
// the real binary, and its output must be what the guide shows.
//
// The guide's format: a ```console block holds `$ command` lines, each followed by its expected
// stdout; a following ```text stderr block holds the last command's expected stderr. A line
// `...` stands for any number of lines. A command ending in ` &` is a server: it is started, its
// output is awaited (the banner), and it runs until the end. A ```js file=NAME block is written
// to NAME. Ports 8000, 8001, 8080 and 8443 become free ports; dates, ETags, the folder's path and
// the head's byte count are normalised on both sides.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { makePng } from '../support/make-png.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GUIDE = join(ROOT, 'docs', 'learn-http.md');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const PORTS = [8000, 8001, 8080, 8443];
const FOLDER = '/home/you/lessons';
const PRINT = process.env.LEARN_HTTP_PRINT === '1';

/** Step is one thing the guide does: run a command, or write a file. */
type Step =
  | { kind: 'run'; command: string; stdout: string[]; stderr: string[] | null; isServer: boolean; line: number }
  | { kind: 'file'; name: string; content: string };

/** parseGuide reads the steps of the guide in order. */
export function parseGuide(markdown: string): Step[] {
  const steps: Step[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)(?:\s+(.*))?$/.exec(lines[i] as string);
    if (fence === null) continue;
    const body: string[] = [];
    const start = i + 1;
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] as string);
    const [lang, info] = [fence[1], fence[2] ?? ''];
    if (lang === 'console') {
      for (let j = 0; j < body.length; j++) {
        const line = body[j] as string;
        const lineNo = start + j + 1;
        if (!line.startsWith('$ ')) throw new Error(`${GUIDE}:${lineNo}: output before any "$ command"`);
        const stdout: string[] = [];
        while (j + 1 < body.length && !(body[j + 1] as string).startsWith('$ ')) stdout.push(body[++j] as string);
        const command = line.slice(2);
        const isServer = command.endsWith(' &');
        steps.push({ kind: 'run', command: isServer ? command.slice(0, -2) : command, stdout, stderr: null, isServer, line: lineNo });
      }
    } else if (lang === 'text' && info === 'stderr') {
      const last = steps[steps.length - 1];
      if (last?.kind !== 'run') throw new Error(`${GUIDE}:${start}: a stderr block must follow a command`);
      last.stderr = body;
    } else if (lang === 'js' && info.startsWith('file=')) {
      steps.push({ kind: 'file', name: info.slice(5), content: `${body.join('\n')}\n` });
    }
  }
  return steps;
}

function normalise(text: string, folder: string, ports: Map<number, number>): string {
  let out = text.split(folder).join(FOLDER);
  for (const [guide, real] of ports) out = out.replace(new RegExp(`\\b${real}\\b`, 'g'), String(guide));
  return out
    .replace(/(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT/g, '<date>')
    .replace(/ETag: "[^"\\]*"/g, 'ETag: "<etag>"')
    .replace(/(end of the head: \d+ lines?), \d+ bytes/g, '$1, <n> bytes')
    .replace(/(?:read \d+ bytes, (\d+) so far\n)+/g, 'read <n> bytes, $1 so far\n')
    .replace(/ in \d+ reads?$/gm, ' in <n> reads');
}

/** matches compares output lines with expected lines, where "..." stands for any lines. */
function matches(actual: string[], expected: string[]): boolean {
  const go = (a: number, e: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === '...') {
      for (let k = a; k <= actual.length; k++) if (go(k, e + 1)) return true;
      return false;
    }
    return a < actual.length && actual[a] === expected[e] && go(a + 1, e + 1);
  };
  return go(0, 0);
}

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('docs/learn-http.md', { timeout: 120_000 }, () => {
  let base = '';
  let folder = '';
  let env: NodeJS.ProcessEnv = {};
  const ports = new Map<number, number>();
  const servers: ChildProcess[] = [];

  const toReal = (text: string): string => {
    let out = text;
    for (const [guide, real] of ports) out = out.replace(new RegExp(`\\b${guide}\\b`, 'g'), String(real));
    return out;
  };

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'courier-learn-'));
    folder = join(base, 'lessons');
    const bin = join(base, 'bin');
    await mkdir(folder);
    await mkdir(bin);
    // `courier` on the PATH, as `npm link` would put it; `import ... from 'courier'` resolves too.
    await writeFile(join(bin, 'courier'), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
    await chmod(join(bin, 'courier'), 0o755);
    await mkdir(join(folder, 'node_modules'));
    await symlink(ROOT, join(folder, 'node_modules', 'courier'));
    await writeFile(join(folder, 'cover.png'), makePng(64, 48, (x, y) => [200 - x * 2, 80 + y * 3, 40 + ((x * y) % 120)]));
    env = { ...process.env, PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
    for (const port of PORTS) ports.set(port, await freePort());
  });

  after(async () => {
    for (const server of servers) {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
    }
    if (base !== '') await rm(base, { recursive: true, force: true });
  });

  function runServer(step: Extract<Step, { kind: 'run' }>): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', `exec ${toReal(step.command)}`], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
      servers.push(child);
      let stdout = '';
      let stderr = '';
      const want = step.stdout.filter((l) => l !== '...').length;
      const check = (): void => {
        if (lines(stdout).length >= want && stdout.endsWith('\n')) {
          clearTimeout(timer);
          resolve({ stdout, stderr });
        }
      };
      const timer = setTimeout(() => reject(new Error(`${GUIDE}:${step.line}: no banner within 20 s: ${stdout} ${stderr}`)), 20_000);
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        check();
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${GUIDE}:${step.line}: "${step.command}" exited with ${code}: ${stdout} ${stderr}`));
      });
    });
  }

  function run(step: Extract<Step, { kind: 'run' }>): Promise<{ stdout: string; stderr: string; code: number | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', toReal(step.command)], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${GUIDE}:${step.line}: "${step.command}" did not end within 30 s`));
      }, 30_000);
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, code });
      });
    });
  }

  test('every command in the guide prints what the guide shows', async () => {
    const steps = parseGuide(await readFile(GUIDE, 'utf8'));
    assert.ok(steps.filter((s) => s.kind === 'run').length >= 15, 'the guide has lost its commands');
    const failures: string[] = [];
    for (const step of steps) {
      if (step.kind === 'file') {
        await writeFile(join(folder, step.name), toReal(step.content));
        continue;
      }
      const result = step.isServer ? { ...(await runServer(step)), code: 0 } : await run(step);
      const stdout = lines(normalise(result.stdout, folder, ports));
      const expected = step.stdout.map((line) => normalise(line, folder, ports));
      if (PRINT) process.stdout.write(`$ ${step.command}\n${normalise(result.stdout, folder, ports)}--- stderr\n${normalise(result.stderr, folder, ports)}\n`);
      if (result.code !== 0) failures.push(`${GUIDE}:${step.line}: "${step.command}" exited with ${result.code}: ${result.stderr}`);
      if (!matches(stdout, expected)) failures.push(`${GUIDE}:${step.line}: "${step.command}" printed:\n${stdout.join('\n')}\n--- the guide shows:\n${expected.join('\n')}`);
      if (step.stderr !== null) {
        const stderr = lines(normalise(result.stderr, folder, ports));
        const want = lines(normalise(step.stderr.map((line) => `${line}\n`).join(''), folder, ports));
        if (!matches(stderr, want)) failures.push(`${GUIDE}:${step.line}: "${step.command}" printed on stderr:\n${stderr.join('\n')}\n--- the guide shows:\n${want.join('\n')}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

describe('the guide checker', () => {
  test('"..." stands for any lines; other lines must match in order', () => {
    assert.ok(matches(['a', 'b', 'c'], ['a', '...', 'c']));
    assert.ok(matches(['a', 'c'], ['a', '...', 'c']));
    assert.ok(!matches(['a', 'b'], ['a', 'c']));
    assert.ok(!matches(['a', 'b', 'c'], ['a', 'b']));
  });

  test('a guide is read into commands, their output, stderr and files', () => {
    const steps = parseGuide('text\n```console\n$ echo hi\nhi\n$ courier serve 8000 &\nServing\n```\n```text stderr\nwarn\n```\n```js file=a.mjs\nx\n```\n');
    assert.deepEqual(steps, [
      { kind: 'run', command: 'echo hi', stdout: ['hi'], stderr: null, isServer: false, line: 3 },
      { kind: 'run', command: 'courier serve 8000', stdout: ['Serving'], stderr: ['warn'], isServer: true, line: 5 },
      { kind: 'file', name: 'a.mjs', content: 'x\n' },
    ]);
  });
});
