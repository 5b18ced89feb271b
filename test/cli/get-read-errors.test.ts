// A file named on `courier get`'s command line that cannot be read ends the command with curl's
// exit 26 and one line naming the file and the errno, before any connection is made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { courier } from './get-helpers.js';

const MISSING = '/nonexistent-courier/file';
// Nothing listens on port 1: a request that went out would fail with 7, not 26.
const URL = 'http://127.0.0.1:1/';

for (const args of [['--cacert', MISSING], ['-d', `@${MISSING}`], ['--data-binary', `@${MISSING}`]]) {
  test(`courier get ${args.join(' ')} exits 26 with the file and its errno`, async () => {
    const run = await courier([...args, URL]);
    assert.equal(run.code, 26, run.stderr);
    assert.equal(run.stderr, `courier get: cannot read "${MISSING}": ENOENT\n`);
    assert.equal(run.stdout.length, 0);
  });
}
