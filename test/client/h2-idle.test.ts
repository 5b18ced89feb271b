// An idle HTTP/2 connection must not keep the process alive: a script that makes a request and
// never closes its agent still exits, like with node:http and undici.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startH2Peer, type H2Peer } from './h2-peer.js';

const CLIENT = fileURLToPath(new URL('../../src/client/index.js', import.meta.url));

let peer: H2Peer;
before(async () => {
  peer = await startH2Peer({ tls: false });
});
after(async () => {
  await peer.close();
});

test('a process with an idle HTTP/2 connection (10 minute keepAliveTimeout) exits on its own', async () => {
  const script = `
    const { Agent, request } = await import(${JSON.stringify(CLIENT)});
    const agent = new Agent({ keepAliveTimeout: 600000 });
    const res = await request(${JSON.stringify(`${peer.url}/hello`)}, { agent, httpVersion: '2' });
    console.log(res.httpVersion, await res.body.text());
  `;
  const before = peer.sessions;
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    // The bound is generous: only a process kept alive by the connection reaches it.
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 }, (error, out) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout: out });
    });
  });
  assert.equal(code, 0);
  assert.equal(stdout.trim(), '2 hello');
  assert.equal(peer.sessions - before, 1);
});
