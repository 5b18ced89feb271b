// A browser closed before it linked its singleton socket from the profile must still have the
// socket's folder found (and removed): from the listening socket its process holds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { singletonSocketDir } from '../../src/browser/socket-dir.js';

const base = mkdtempSync(join(tmpdir(), 'courier-socket-dir-'));
after(() => rmSync(base, { recursive: true, force: true }));

// A stand-in for Chromium's browser process: it listens on SOCKET and says when it does.
async function listener(socketPath: string): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return {
    pid: child.pid as number,
    stop: async () => {
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

test('without the profile link, the folder comes from the socket the process listens on', { skip: process.platform !== 'linux' }, async () => {
  const dir = join(base, 'org.chromium.Chromium.a1B2c3');
  mkdirSync(dir);
  const profile = mkdtempSync(join(base, 'profile-'));
  const browser = await listener(join(dir, 'SingletonSocket'));
  try {
    assert.equal(singletonSocketDir(profile, browser.pid), dir);
    // Another process's socket is not taken for this one's.
    assert.equal(singletonSocketDir(profile, process.pid), undefined);
  } finally {
    await browser.stop();
  }
});

test('the profile link names the folder, and a socket not named SingletonSocket is not taken', async () => {
  const linked = join(base, 'org.chromium.Chromium.linked');
  mkdirSync(linked);
  const profile = mkdtempSync(join(base, 'profile-'));
  symlinkSync(join(linked, 'SingletonSocket'), join(profile, 'SingletonSocket'));
  assert.equal(singletonSocketDir(profile, undefined), linked);
  const other = join(base, 'org.chromium.Chromium.other');
  mkdirSync(other);
  const browser = await listener(join(other, 'something-else'));
  try {
    assert.equal(singletonSocketDir(mkdtempSync(join(base, 'profile-')), browser.pid), undefined);
  } finally {
    await browser.stop();
  }
});
