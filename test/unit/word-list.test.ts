import { it } from 'node:test';
import assert from 'node:assert/strict';
import { WordList } from '../../src/moderation/word-list.js';

const list = new WordList(['scum', 'ass', 'kill yourself', 'faggot']);
const words = (text: string) => list.find(text).map((m) => m.word);

it('finds listed words through spelling tricks', () => {
  for (const text of ['you scum', 'S.C.U.M', 's c u m', 'sc*m', 'sc#m', '$cum', 'ｓｃｕｍ', 'scuuuum', 'SCUM!!', 'ѕсum']) {
    assert.deepEqual(words(text), ['scum'], text);
  }
  assert.deepEqual(words('k i l l   y0urs3lf'), ['kill yourself']);
  assert.deepEqual(words('f@gg0t'), ['faggot']);
});

it('matches short words only as whole words', () => {
  assert.deepEqual(words('what a class act'), []);
  assert.deepEqual(words('an assessment of the bass'), []);
  assert.deepEqual(words('you ass'), ['ass']);
  assert.deepEqual(words('what an a$$'), ['ass']);
});

it('does not find words that are merely similar', () => {
  for (const text of ['a scam', 'the scrum half', 'I skill myself up', 'a good book']) assert.deepEqual(words(text), [], text);
});

it('points at the matched characters of the original text', () => {
  const text = 'well, you S.C.U.U.M of the earth';
  const [match] = list.find(text);
  assert.ok(match);
  assert.equal(text.slice(match.start, match.end), 'S.C.U.U.M');
  const [short] = list.find('oh asss hat');
  assert.equal('oh asss hat'.slice(short!.start, short!.end), 'asss');
});

it('ignores empty and symbol-only entries', () => {
  assert.deepEqual(new WordList(['', '  ', '***']).find('anything at all'), []);
});
