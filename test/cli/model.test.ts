// parley model export-decisions and parley model train, end to end on small self-written data.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { LABELS, type LabelScores } from '../../src/moderation/labels.js';
import type { Scorer } from '../../src/moderation/types.js';
import { parseCsv } from '../../src/engine/training/csv.js';
import { LinearModel } from '../../src/engine/model.js';
import { DEFAULT_MODEL_PATH } from '../../src/engine/index.js';

const parley = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

const scorer: Scorer = {
  thresholds: Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.95 }])) as Scorer['thresholds'],
  score(text) {
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0.01])) as LabelScores;
    if (text.includes('muppet')) scores.insult = 0.6;
    return { scores, spans: [] };
  },
};

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'parley-model-cli-'));
before(async () => {
  t = await startTestApp('sqlite', { scorer });
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

it('exports a site\'s decisions as the training CSV, to a file or to standard output', async () => {
  const storyId = await t.story();
  const author = await t.agent();
  const moderator = await t.agent('moderator');
  const rude = await t.comment(author, storyId, 'Only a muppet, "really", would write this');
  const fine = await t.comment(author, storyId, 'The muppet show was great, thanks for the review');
  assert.equal((await t.request('POST', `/api/moderation/comments/${rude.id}/reject`, { as: moderator, body: { reason: 'Name-calling' } })).statusCode, 200);
  assert.equal((await t.request('POST', `/api/moderation/comments/${fine.id}/approve`, { as: moderator, body: {} })).statusCode, 200);

  const env = { DATABASE_URL: t.database.location };
  const out = join(dir, 'decisions', 'site.csv');
  const written = parley(['model', 'export-decisions', '--site', t.siteId, '--out', out], env);
  assert.equal(written.status, 0, written.stderr);
  assert.match(written.stderr, /wrote 2 decisions/);
  const rows = parseCsv(readFileSync(out, 'utf8'));
  assert.deepEqual(rows[0]?.slice(0, 3 + LABELS.length), ['id', 'source', 'text', ...LABELS]);
  const rudeRow = rows.find((r) => r[0] === rude.id)!;
  assert.equal(rudeRow[2], 'Only a muppet, "really", would write this');
  assert.equal(rudeRow[3 + LABELS.indexOf('insult')], '1');
  const fineRow = rows.find((r) => r[0] === fine.id)!;
  assert.deepEqual(fineRow.slice(3, 3 + LABELS.length), LABELS.map(() => '0'));

  const printed = parley(['model', 'export-decisions', '--site', t.siteId], env);
  assert.equal(printed.status, 0, printed.stderr);
  assert.equal(printed.stdout, readFileSync(out, 'utf8'));

  const unknown = parley(['model', 'export-decisions', '--site', 'nosuchsite'], env);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /not found/);
  assert.equal(parley(['model', 'export-decisions'], env).status, 2);
  assert.equal(parley(['model', 'frobnicate'], env).status, 2);
});

it('fine-tunes a site model from the shipped model on a decisions CSV', () => {
  // Self-written decisions of a site whose readers call each other "muppet".
  const said = ['the bridge repairs are late', 'the council meets on tuesday', 'parking downtown is hard', 'the school board met'];
  const lines = ['id,source,text,toxic,severe_toxic,obscene,threat,insult,identity_hate,decision,reason,decided_at'];
  for (let i = 0; i < 240; i++) {
    const bad = i % 2 === 0;
    const text = bad ? `only a muppet thinks ${said[(i >> 1) % 4]}` : `I think ${said[(i >> 1) % 4]}`;
    lines.push(`c${i},site:demo,${text},${bad ? 1 : 0},,,,${bad ? 1 : 0},,${bad ? 'rejected' : 'approved'},,2026-11-30T00:00:00.000Z`);
  }
  const data = join(dir, 'train.csv');
  writeFileSync(data, `${lines.join('\n')}\n`);
  const out = join(dir, 'models', 'sites', 'demo.model');
  const trained = parley(['model', 'train', '--base', 'shipped', '--data', data, '--out', out]);
  assert.equal(trained.status, 0, trained.stderr);
  assert.match(trained.stdout, /saved .*demo\.model \(version parley-site-[0-9a-f]{8}, from parley-linear-/);
  assert.ok(existsSync(out));
  const model = LinearModel.load(out);
  const shipped = LinearModel.load(DEFAULT_MODEL_PATH);
  assert.equal(model.meta.training['base'], shipped.meta.version);
  assert.equal(model.meta.dim, shipped.meta.dim);

  assert.equal(parley(['model', 'train', '--data', data]).status, 2, 'a base is required');
  assert.equal(parley(['model', 'train', '--base', 'shipped']).status, 2, 'data is required');
  assert.equal(parley(['model', 'train', '--base', 'shipped', '--data', data, '--epochs', '0']).status, 2);
  const noBase = parley(['model', 'train', '--base', join(dir, 'missing.model'), '--data', data]);
  assert.equal(noBase.status, 1);
  assert.match(noBase.stderr, /cannot read the base model/);
});
