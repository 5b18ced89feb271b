// Big file bodies are read into reused pooled blocks: concurrent downloads get every byte right
// (a block is reused only after the socket is done with it), and many slow downloads hold
// bounded memory.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileBlocks, BLOCK_SIZE } from '../../src/server/block-pool.js';
import { createServer, type Server } from '../../src/server/index.js';

const MiB = 1024 * 1024;
let dir = '';
let server: Server;
const files = new Map<string, { size: number; sha256: string }>();

// A file whose every MiB differs (a pattern seeded by name and block), so a block sent twice, or
// sent after it was reused for another download, changes the digest.
function writePatterned(path: string, size: number, seed: number): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(MiB);
  for (let at = 0; at < size; at += MiB) {
    const n = Math.min(MiB, size - at);
    const base = (seed * 131 + at / MiB) & 0xff;
    for (let i = 0; i < n; i++) block[i] = (base + i * 7 + (i >> 12)) & 0xff;
    writeSync(fd, block, 0, n);
    hash.update(block.subarray(0, n));
  }
  closeSync(fd);
  return hash.digest('hex');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-pool-'));
  for (const [name, size, seed] of [
    ['a.bin', 5 * MiB + 12_345, 1],
    ['b.bin', 3 * MiB + 1, 2],
    ['c.bin', 2 * MiB - 5, 3],
  ] as const) {
    files.set(name, { size, sha256: writePatterned(join(dir, name), size, seed) });
  }
  // The big file's content does not matter: only the memory its downloads hold.
  const fd = openSync(join(dir, 'big.bin'), 'w');
  const block = Buffer.alloc(MiB, 0x5a);
  for (let i = 0; i < 64; i++) writeSync(fd, block);
  closeSync(fd);
  files.set('big.bin', { size: 64 * MiB, sha256: '' });
  server = await createServer((req) => {
    const name = req.path.slice(1);
    const file = files.get(name);
    if (file === undefined) return { status: 404, body: 'no' };
    const start = req.query === 'from1' ? 1 : 0;
    return { status: 200, body: { kind: 'file', path: join(dir, name), start, end: file.size } };
  }).listen({ port: 0, hostname: '127.0.0.1' });
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

// Reads one keep-alive answer's body and hashes it.
function download(path: string): Promise<{ sha256: string; length: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: server.port, host: '127.0.0.1' });
    const hash = createHash('sha256');
    let head = Buffer.alloc(0);
    let expected = -1;
    let got = 0;
    socket.on('data', (chunk: Buffer) => {
      if (expected < 0) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        expected = Number(/content-length: (\d+)/i.exec(head.subarray(0, end).toString('latin1'))?.[1]);
        chunk = head.subarray(end + 4);
      }
      got += chunk.length;
      hash.update(chunk);
      if (got >= expected) {
        socket.destroy();
        resolve({ sha256: hash.digest('hex'), length: got });
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed after ${got} of ${expected} bytes`)));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });
}

test('concurrent downloads sharing the block pool each get every byte in order', async () => {
  const names = ['a.bin', 'b.bin', 'c.bin', 'a.bin', 'b.bin', 'c.bin'];
  const results = await Promise.all(names.map((name) => download(`/${name}`)));
  for (let i = 0; i < names.length; i++) {
    const file = files.get(names[i] as string)!;
    assert.equal(results[i]?.length, file.size);
    assert.equal(results[i]?.sha256, file.sha256, `${names[i]} arrived intact`);
  }
  // A range that starts mid-block and ends mid-block.
  const tail = await download('/c.bin?from1');
  assert.equal(tail.length, files.get('c.bin')!.size - 1);
  // The blocks were reused: far fewer made than MiB sent (~43).
  assert.ok(fileBlocks.allocated <= names.length * 3 + 2, `${fileBlocks.allocated} blocks made`);
  assert.ok(fileBlocks.freeBytes > 0 && fileBlocks.freeBytes % BLOCK_SIZE === 0);
});

test('20 slow downloads of a 64 MiB file hold bounded memory (RSS)', async () => {
  const sockets: Socket[] = [];
  const before = process.memoryUsage().rss;
  const madeBefore = fileBlocks.allocated;
  let peak = before;
  let received = 0;
  try {
    for (let i = 0; i < 20; i++) {
      const socket = connect({ port: server.port, host: '127.0.0.1' });
      socket.on('error', () => {});
      // A slow reader: reads a little, then pauses while the server's writes back up.
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        socket.pause();
        setTimeout(() => socket.resume(), 20);
      });
      socket.write('GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      sockets.push(socket);
    }
    // Until the downloads are well under way (bounded in time for a loaded machine).
    const deadline = Date.now() + 20_000;
    while (received < 20 * 4 * MiB && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    assert.ok(received > 0, 'the downloads started');
    // Each download holds its read-ahead and one block on the socket (~3 MiB): 20 hold ~60 MiB.
    // Reading whole files, or blocks faster than the socket drains, would take over 1 GiB.
    const growth = (peak - before) / MiB;
    assert.ok(growth < 400, `RSS grew ${growth.toFixed(0)} MiB`);
    // The pool's own bound: two blocks read ahead and one on the socket per download.
    assert.ok(fileBlocks.allocated - madeBefore <= 20 * 3, `${fileBlocks.allocated - madeBefore} blocks made`);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
});
