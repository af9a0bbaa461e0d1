import { it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from 'typebox/value';
import { Id } from '../../src/contracts/schemas.js';
import { newId, newTimeOrderedId } from '../../src/storage/ids.js';

it('gives comments ids that sort by the millisecond they were made in, across the year 2059 when the time grows a digit', () => {
  // 36^8 ms (2059-05-05) is where the time in base 36 needs a ninth character.
  const times = [0, 1, 35, 36, 1_764_590_000_000, 1_764_590_000_001, 36 ** 8 - 1, 36 ** 8, 36 ** 8 + 1, 100_000_000_000_000];
  mock.timers.enable({ apis: ['Date'] });
  try {
    const ids = times.map((now) => {
      mock.timers.setTime(now);
      return newTimeOrderedId();
    });
    assert.deepEqual([...ids].sort(), ids);
  } finally {
    mock.timers.reset();
  }
});

it('keeps time-ordered ids unguessable and valid: distinct in one millisecond, accepted by the schemas\' Id', () => {
  mock.timers.enable({ apis: ['Date'], now: 1_764_590_000_000 });
  try {
    const ids = Array.from({ length: 10_000 }, () => newTimeOrderedId());
    assert.equal(new Set(ids).size, ids.length);
    for (const id of [...ids, newId()]) assert.ok(Value.Check(Id, id), id);
    // What follows the time differs from one id to the next, not a counter.
    const tails = new Set(ids.map((id) => id.slice(9, 13)));
    assert.ok(tails.size > 9_000, `${tails.size} distinct`);
  } finally {
    mock.timers.reset();
  }
});
