// The pending queue's order: a severity rank per label, then the score of the label that ranks the comment.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_SEVERITY, severityOf } from '../../src/contracts/severity.js';
import { LABELS } from '../../src/moderation/labels.js';
import { decodeCursor, encodeCursor } from '../../src/core/cursors.js';

const scores = (over: Record<string, number>) => ({ ...Object.fromEntries(LABELS.map((l) => [l, 0.01])), ...over });

it('ranks every label, threats highest, and leaves 0 for no flagged label', () => {
  assert.deepEqual([...LABELS].sort(), Object.keys(LABEL_SEVERITY).sort());
  const top = Object.entries(LABEL_SEVERITY).sort((a, b) => b[1] - a[1])[0]![0];
  assert.equal(top, 'threat');
  assert.ok(Math.min(...Object.values(LABEL_SEVERITY)) > 0);
});

it('puts a held threat at 0.76 before an insult at 0.99', () => {
  const threat = severityOf(['threat'], scores({ threat: 0.76 }));
  const insult = severityOf(['insult', 'toxic'], scores({ insult: 0.99, toxic: 0.99 }));
  assert.equal(threat.rank, LABEL_SEVERITY.threat);
  assert.equal(insult.rank, LABEL_SEVERITY.insult);
  assert.ok(threat.priority > insult.priority);
  // Within a rank, the ranking label's score decides; a perfect score never reaches the next rank.
  assert.ok(severityOf(['insult'], scores({ insult: 1 })).priority < severityOf(['identity_hate'], scores({ identity_hate: 0 })).priority);
  assert.ok(severityOf(['threat'], scores({ threat: 0.9 })).priority > threat.priority);
});

it('orders comments held without a flagged label by their highest score, below every flagged one', () => {
  const links = severityOf([], scores({ insult: 0.3 }));
  assert.deepEqual(links, { rank: 0, priority: 0.3 });
  assert.deepEqual(severityOf([], null), { rank: 0, priority: 0 });
  assert.ok(links.priority < severityOf(['obscene'], scores({ obscene: 0.5 })).priority);
  // Unknown labels (a model with another label set) and bad scores do not break the order.
  assert.deepEqual(severityOf(['sarcasm'], { sarcasm: Number.NaN }), { rank: 0, priority: 0 });
});

it('round-trips the severity cursor and refuses one from another order or without its time', () => {
  const cursor = { key: 12.76, time: 1_700_000_000_000, id: 'abc123' };
  assert.deepEqual(decodeCursor('queue.severity', encodeCursor('queue.severity', cursor)), cursor);
  assert.deepEqual(decodeCursor('queue.score', encodeCursor('queue.score', { key: 0.5, id: '123' })), { key: 0.5, id: '123' });
  assert.throws(() => decodeCursor('queue.severity', encodeCursor('queue.score', { key: 0.5, id: 'abc' })), /cursor/);
  assert.throws(() => decodeCursor('queue.severity', encodeCursor('queue.severity', { key: 0.5, id: 'abc' })), /cursor/);
  assert.throws(() => decodeCursor('queue.score', encodeCursor('queue.score', { key: 0.5, time: 5, id: 'abc' })), /cursor/);
  assert.throws(() => decodeCursor('queue.severity', encodeCursor('queue.severity', { key: 99, time: 5, id: 'abc' })), /cursor/);
});
