import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));
const parley = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, 'score', ...args], { input, encoding: 'utf8', timeout: 60_000 });

test('parley score "text" prints scores and spans as JSON', () => {
  const r = parley(['you are a stupid idiot']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { scores: Record<string, number>; spans: { start: number; end: number; label: string }[]; version: string };
  assert.ok(out.scores['insult'] !== undefined && out.scores['insult'] > 0.5, JSON.stringify(out.scores));
  assert.equal(Object.keys(out.scores).length, 6);
  assert.ok(out.spans.some((s) => /idiot|stupid/.test('you are a stupid idiot'.slice(s.start, s.end))));
  assert.match(out.version, /^parley-linear-/);
});

test('parley score without text or with a bad model path fails with a usage/error code', () => {
  assert.equal(parley([]).status, 2);
  assert.equal(parley(['--model', '/nonexistent.model', 'hi']).status, 2);
});

test('parley score --jsonl streams lines, reports malformed lines and goes on', () => {
  const input = [
    JSON.stringify({ id: 'a', text: 'what a lovely day' }),
    '{not json',
    JSON.stringify({ id: 7, text: 'you are a moron' }),
    JSON.stringify({ id: 'no-text' }),
    '',
    JSON.stringify({ id: 'c', text: 'thanks for the article' }),
  ].join('\n');
  const r = parley(['--jsonl'], input + '\n');
  assert.equal(r.status, 1, 'exit code 1 when some line failed');
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; scores: Record<string, number> });
  assert.deepEqual(out.map((o) => o.id), ['a', 7, 'c']);
  assert.ok((out[1]?.scores['insult'] ?? 0) > (out[0]?.scores['insult'] ?? 1));
  const errs = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { line: number; id?: unknown; error: string });
  assert.equal(errs.length, 2);
  assert.equal(errs[0]?.line, 2);
  assert.equal(errs[1]?.line, 4);
  assert.equal(errs[1]?.id, 'no-text');
});

test('parley score --jsonl exits 0 when every line is valid', () => {
  const r = parley(['--jsonl', '--spans'], JSON.stringify({ id: 1, text: 'hello' }) + '\n');
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout) as { id: number; spans: unknown[] };
  assert.equal(o.id, 1);
  assert.ok(Array.isArray(o.spans));
});
