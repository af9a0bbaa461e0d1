import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evasionCopies, misspell } from '../../src/engine/training/augment.js';
import type { Example } from '../../src/engine/training/data.js';

test('misspell deletes one inner letter or swaps two different inner neighbours, keeping the first letter', () => {
  for (const w of ['idiot', 'fuck', 'kill', 'moron', 'asshole']) {
    for (let k = 0; k < 12; k++) {
      const m = misspell(w, k);
      assert.equal(m[0], w[0], `${w} -> ${m}`);
      assert.notEqual(m, w);
      if (k % 2 === 0) assert.equal(m.length, w.length - 1, `${w} -> ${m} (deletion)`);
      else assert.deepEqual([...m].sort(), [...w].sort(), `${w} -> ${m} (swap)`);
    }
  }
  assert.equal(misspell('idiot', 2), 'idot');
  assert.equal(misspell('fuck', 1), 'fcuk');
});

test('evasion copies: only rows with a lexicon word, about one in three, one word changed, same labels', () => {
  const rows: Example[] = [];
  for (let i = 0; i < 600; i++) rows.push({ id: `r${i}`, source: 's', text: i % 2 ? `you are an idiot number ${i}` : `what a lovely garden ${i}`, y: new Float32Array([i % 2, 0, 0, 0, i % 2, 0]) });
  const copies = evasionCopies(rows);
  assert.ok(copies.length > 60 && copies.length < 140, `${copies.length} copies`);
  for (const c of copies) {
    const orig = rows.find((r) => `${r.id}~ev` === c.id)!;
    assert.match(orig.text, /idiot/);
    assert.doesNotMatch(c.text, /idiot/);
    assert.equal(c.text.replace(/\S+(?= number)/, ''), orig.text.replace(/\S+(?= number)/, ''));
    assert.deepEqual(c.y, orig.y);
  }
  assert.deepEqual(evasionCopies(rows), copies, 'deterministic');
});
