import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpDate } from '../../src/http/index.js';
import { dateLine } from '../../src/server/date.js';

// Waits until just after the next second boundary, so that the calls that follow share one
// second even on a loaded machine (the cache drops its text at the boundary, before this timer).
function nextSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
}

test('dateLine is the Date field line of the current second, made once a second', async () => {
  const original = Date.prototype.toUTCString;
  let formats = 0;
  Date.prototype.toUTCString = function (this: Date): string {
    formats++;
    return original.call(this);
  };
  try {
    await nextSecond();
    const first = dateLine();
    assert.equal(first, `Date: ${httpDate()}\r\n`);
    assert.match(first, /^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n$/);
    const counted = formats;
    for (let i = 0; i < 1000; i++) assert.equal(dateLine(), first);
    assert.equal(formats, counted, 'no formatting while the second lasts');
    await nextSecond();
    const next = dateLine();
    assert.equal(next, `Date: ${httpDate()}\r\n`);
    assert.ok(Date.parse(next.slice(6, -2)) > Date.parse(first.slice(6, -2)), `${next} after ${first}`);
    assert.equal(formats, counted + 1, 'formatted once for the new second');
  } finally {
    Date.prototype.toUTCString = original;
  }
});
