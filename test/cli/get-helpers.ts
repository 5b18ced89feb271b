// What the `courier get` test files share: spawning the real binary, and a server that records
// every request it answers.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { listen } from '../client/helpers.js';

/** MAIN is the built CLI entry point the tests spawn. */
export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Run is the outcome of one spawned command. */
export interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** RunOptions give a spawned command its stdin bytes, working folder and extra environment. */
export interface RunOptions {
  stdin?: string | Buffer;
  cwd?: string;
  env?: Record<string, string>;
}

/** courier spawns `node main.js get ...args` and collects its output. */
export async function courier(args: string[], options: RunOptions = {}): Promise<Run> {
  return spawnCli(['get', ...args], options);
}

/** spawnCli spawns `node main.js ...args` with proxies cleared. */
export async function spawnCli(args: string[], options: RunOptions = {}): Promise<Run> {
  const env = { ...process.env, http_proxy: '', HTTP_PROXY: '', https_proxy: '', HTTPS_PROXY: '', ...options.env };
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], env });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.on('error', () => {});
  child.stdin.end(options.stdin ?? '');
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}

/** Seen is one request as a recording server received it; rawHeaders keep order and case. */
export interface Seen {
  method: string;
  url: string;
  version: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

/** Route answers one recorded request; return false to fall through to the default answer. */
export type Route = (req: IncomingMessage, res: ServerResponse, seen: Seen) => boolean | void;

/**
 * recordingServer starts a node:http server on 127.0.0.1 that records every request and answers
 * with the first route that takes it, else `200 hello METHOD`.
 */
export async function recordingServer(routes: Record<string, Route> = {}): Promise<{ server: Server; base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createHttpServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const record: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        version: req.httpVersion,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(parts),
      };
      seen.push(record);
      const path = (req.url ?? '/').split('?')[0] as string;
      const route = routes[path];
      if (route !== undefined && route(req, res, record) !== false) return;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${req.method}\n`);
    });
  });
  const base = await listen(server);
  return { server, base, seen };
}

/** headerLines returns the raw header names of a request, lowercased, in order. */
export function headerNames(seen: Seen): string[] {
  return seen.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
}
