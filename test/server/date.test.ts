import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpDate } from '../../src/server/date.js';

test('httpDate is an IMF-fixdate of the current second', () => {
  const text = httpDate();
  assert.match(text, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  assert.ok(Math.abs(Date.parse(text) - Date.now()) < 2000);
});
