import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, test } from 'node:test';
import { isLoopback, listenUrls, parseHeaderOption, parseServeArgs } from '../../src/cli/serve-options.js';

describe('parseServeArgs', () => {
  test('defaults are like python -m http.server, bound to loopback', () => {
    const config = parseServeArgs([]);
    assert.equal(config.dir, '.');
    assert.equal(config.port, 8000);
    assert.equal(config.isPortExplicit, false);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.cacheControl, 'no-cache');
    assert.equal(config.dotfiles, 'ignore');
    assert.equal(config.listing, true);
    assert.equal(config.compress, true);
    assert.equal(config.log, 'combined');
    assert.equal(config.workers, 1);
  });

  test('every flag is read', () => {
    const config = parseServeArgs([
      'site', '--port', '9000', '--host', '::1', '--cors', '--spa', '--cache', '3600', '--dotfiles', 'deny', '--no-listing',
      '--no-compress', '--follow-symlinks', '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--log', 'json', '--workers', '4',
      '--header', 'X-Frame-Options: DENY', '--header', 'X-A:b', '--open',
    ]);
    assert.equal(config.dir, 'site');
    assert.equal(config.port, 9000);
    assert.equal(config.isPortExplicit, true);
    assert.equal(config.host, '::1');
    assert.equal(config.cors, true);
    assert.equal(config.spa, true);
    assert.equal(config.cacheControl, 'public, max-age=3600');
    assert.equal(config.dotfiles, 'deny');
    assert.equal(config.listing, false);
    assert.equal(config.compress, false);
    assert.equal(config.followSymlinks, true);
    assert.equal(config.tlsCert, 'c.pem');
    assert.equal(config.tlsKey, 'k.pem');
    assert.equal(config.log, 'json');
    assert.equal(config.workers, 4);
    assert.deepEqual(config.headers, { 'X-Frame-Options': 'DENY', 'X-A': 'b' });
    assert.equal(config.open, true);
  });

  test('--no-cache means no-store, -p is --port', () => {
    assert.equal(parseServeArgs(['--no-cache']).cacheControl, 'no-store');
    assert.equal(parseServeArgs(['-p', '0']).port, 0);
  });

  test('PORT from the environment replaces the default but is not explicit', () => {
    const config = parseServeArgs([], { PORT: '9123' });
    assert.equal(config.port, 9123);
    assert.equal(config.isPortExplicit, false);
    assert.equal(parseServeArgs(['--port', '1'], { PORT: '9123' }).port, 1);
  });

  const bad: [string, string[]][] = [
    ['unknown flag', ['--nope']],
    ['port out of range', ['--port', '70000']],
    ['port not a number', ['--port', '80a']],
    ['two folders', ['a', 'b']],
    ['bad dotfiles policy', ['--dotfiles', 'show']],
    ['bad log format', ['--log', 'xml']],
    ['cert without key', ['--tls-cert', 'c.pem']],
    ['cache and no-cache', ['--cache', '10', '--no-cache']],
    ['negative cache', ['--cache', '-1']],
    ['header without colon', ['--header', 'nope']],
    ['header with a bad name', ['--header', 'Bad Name: x']],
    ['header with CR LF', ['--header', 'X-A: b\r\nSet-Cookie: x']],
    ['bad workers', ['--workers', 'many']],
    ['host with a slash', ['--host', 'a/b']],
  ];
  for (const [name, argv] of bad) {
    test(`${name} is a usage error`, () => {
      assert.throws(() => parseServeArgs(argv), { code: 'CLI_USAGE' });
    });
  }
});

describe('parseHeaderOption', () => {
  test('splits at the first colon and trims', () => {
    assert.deepEqual(parseHeaderOption('Content-Security-Policy: default-src \'self\'; img-src https:'), [
      'Content-Security-Policy',
      "default-src 'self'; img-src https:",
    ]);
  });
});

describe('listenUrls', () => {
  const interfaces: Record<string, NetworkInterfaceInfo[]> = {
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
    eth0: [
      { address: '192.168.1.20', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.1.20/24' },
      { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
      { address: '2001:db8::20', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: '2001:db8::20/64', scopeid: 0 },
    ],
    wlan0: [{ address: '10.0.0.7', netmask: '255.0.0.0', family: 'IPv4', mac: '02:00:00:00:00:02', internal: false, cidr: '10.0.0.7/8' }],
  };

  test('a specific address gives one URL, IPv6 in brackets', () => {
    assert.deepEqual(listenUrls('127.0.0.1', 8000, false, interfaces), ['http://127.0.0.1:8000/']);
    assert.deepEqual(listenUrls('::1', 8443, true, interfaces), ['https://[::1]:8443/']);
  });

  test('0.0.0.0 lists localhost and every LAN IPv4 address', () => {
    assert.deepEqual(listenUrls('0.0.0.0', 8000, false, interfaces), ['http://localhost:8000/', 'http://192.168.1.20:8000/', 'http://10.0.0.7:8000/']);
  });

  test(':: adds routable IPv6 addresses, not link-local ones', () => {
    assert.deepEqual(listenUrls('::', 80, false, interfaces), [
      'http://localhost:80/',
      'http://192.168.1.20:80/',
      'http://[2001:db8::20]:80/',
      'http://10.0.0.7:80/',
    ]);
  });

  test('isLoopback', () => {
    assert.equal(isLoopback('127.0.0.1'), true);
    assert.equal(isLoopback('::1'), true);
    assert.equal(isLoopback('0.0.0.0'), false);
  });
});
