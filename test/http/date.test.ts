import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpDate } from '../../src/http/index.js';

test('httpDate is an IMF-fixdate of the current second', () => {
  const text = httpDate();
  assert.match(text, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  assert.ok(Math.abs(Date.parse(text) - Date.now()) < 2000);
});

test('httpDate formats the date once per second and again after the second turns', async () => {
  const original = Date.prototype.toUTCString;
  let formats = 0;
  Date.prototype.toUTCString = function (this: Date): string {
    formats++;
    return original.call(this);
  };
  try {
    // Start just after a second boundary so the calls below share one second even under load.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
    const first = httpDate();
    const counted = formats;
    for (let i = 0; i < 1000; i++) assert.equal(httpDate(), first);
    assert.equal(formats, counted, 'no formatting while the second lasts');
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
    const next = httpDate();
    assert.ok(Date.parse(next) > Date.parse(first), `${next} after ${first}`);
    assert.equal(formats, counted + 1, 'formatted once for the new second');
  } finally {
    Date.prototype.toUTCString = original;
  }
});
