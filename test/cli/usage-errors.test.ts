// Every command's bad command line throws the one UsageError (CLI_USAGE), and every command's exit
// is the one ExitError: `courier render` had a class of its own for each, without a code or brand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CourierError } from '../../src/http/index.js';
import { UsageError } from '../../src/cli/usage.js';
import { parseGetArgs } from '../../src/cli/get-options.js';
import { parseRawArgs } from '../../src/cli/raw-options.js';
import { parseRenderArgs } from '../../src/cli/render-options.js';
import { parseServeArgs } from '../../src/cli/serve-options.js';

const badLines: [string, () => unknown][] = [
  ['get', () => parseGetArgs(['--no-such-flag', 'http://h/'])],
  ['raw', () => parseRawArgs(['--no-such-flag'])],
  ['render', () => parseRenderArgs(['--viewport', 'wide', 'http://h/'])],
  ['serve', () => parseServeArgs(['--no-such-flag'])],
];

for (const [command, parse] of badLines) {
  test(`a bad ${command} command line throws UsageError with code CLI_USAGE`, () => {
    assert.throws(parse, (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.ok(UsageError.is(error) && CourierError.is(error));
      assert.equal(error.code, 'CLI_USAGE');
      return true;
    });
  });
}
