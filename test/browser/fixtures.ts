// What the browser tests share: a page whose content exists only after its script runs, servers
// that fail in known ways, and a look at the process table for Chromium processes left behind.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from '../../src/server/index.js';
import { staticFiles } from '../../src/static/handler.js';

/** CHROMIUM is Debian's Chromium, installed by .ci/run. */
export const CHROMIUM = '/usr/bin/chromium';

/** ITEMS are what the fixture's script fetches and lists. */
export const ITEMS = ['alpha', 'beta', 'fünke'];

/** LATE_MS is how long after its list the fixture's script adds #late. */
export const LATE_MS = 600;

/** writeScriptSite writes a page that is an empty shell until app.js fetches items.json and lists it. */
export async function writeScriptSite(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  await writeFile(
    join(root, 'index.html'),
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>shell</title><script src="app.js" defer></script></head>\n<body><div id="app"></div></body></html>\n',
  );
  await writeFile(
    join(root, 'app.js'),
    `(async () => {
const items = await (await fetch('items.json')).json();
const list = document.createElement('ul');
list.id = 'items';
for (const item of items) {
  const li = document.createElement('li');
  li.className = 'item';
  li.textContent = item;
  list.append(li);
}
document.getElementById('app').append(list);
document.title = 'rendered';
setTimeout(() => {
  const late = document.createElement('p');
  late.id = 'late';
  late.textContent = 'late element';
  document.body.append(late);
}, ${LATE_MS});
})();
`,
  );
  await writeFile(join(root, 'items.json'), JSON.stringify(ITEMS));
}

/** Sites are the servers the browser tests load, all on 127.0.0.1. */
export interface Sites {
  base: string;
  /** origin serves the script site (and 404 for anything else). */
  origin: string;
  /** hangingOrigin accepts connections and never answers. */
  hangingOrigin: string;
  /** closedPort has nothing listening on it. */
  closedPort: number;
  close(): Promise<void>;
}

function listen(server: NetServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** startSites writes the script site and starts the servers. */
export async function startSites(): Promise<Sites> {
  const base = await mkdtemp(join(tmpdir(), 'courier-render-'));
  const root = join(base, 'site');
  await writeScriptSite(root);
  const server: Server = createServer(staticFiles(root));
  await server.listen({ port: 0, hostname: '127.0.0.1' });
  const sockets = new Set<Socket>();
  const hanging = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const hangingPort = await listen(hanging);
  const closed = createNetServer();
  const closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  return {
    base,
    origin: `http://127.0.0.1:${server.port}`,
    hangingOrigin: `http://127.0.0.1:${hangingPort}`,
    closedPort,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hanging.close(resolve));
      await server.close();
    },
  };
}

/** processesMentioning lists the pids whose command line contains `text` (from /proc). */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(text)) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** processesInGroup lists the pids whose process group is `pgid` (field 5 of /proc/PID/stat). */
export async function processesInGroup(pgid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the name: state, ppid, pgrp; a zombie (Z) is already dead, only not yet reaped.
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** eventually polls `check` until it returns true, for at most `ms`; returns the last answer. */
export async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** pngSize reads width and height from a PNG's IHDR chunk (bytes 16..24). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** PNG_SIGNATURE starts every PNG file. */
export const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

/** validateHar checks a HAR against the HAR 1.2 JSON schema of the har-schema package; [] when valid. */
export async function validateHar(har: unknown): Promise<string[]> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const schemas = require('har-schema') as Record<string, Record<string, unknown>>;
  const { Ajv } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as unknown as (ajv: InstanceType<typeof Ajv>) => void;
  // har-schema is draft-06 and uses `min`, which is no JSON-schema keyword: not strict.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>);
  addFormats(ajv);
  for (const [name, schema] of Object.entries(schemas)) if (name !== 'har') ajv.addSchema(schema);
  const validate = ajv.compile(schemas.har as Record<string, unknown>);
  if (validate(har)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
