import { it } from 'node:test';
import assert from 'node:assert/strict';
import { iso } from '../../src/core/time.js';

it('writes times as toISOString does, on the same day and across days, and null as null', () => {
  const times = [0, 1, 999, 86_399_999, 86_400_000, 951_782_399_999, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, -1, 1.5];
  for (let i = 0; i < 20_000; i++) times.push(Math.floor(Math.random() * 253_402_300_800_000));
  // Runs of times within one day, as a page writes them.
  for (let i = 0; i < 2_000; i++) times.push(1_790_000_000_000 + i * 9_973);
  for (const ms of times) assert.equal(iso(ms), new Date(ms).toISOString(), String(ms));
  assert.equal(iso(null), null);
});
