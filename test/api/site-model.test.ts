// The site-model loop end to end: moderators' decisions -> export -> fine-tune from the shipped model -> compare on
// the site's held-out decisions -> an admin switches the site (audited) -> a comment on that site is scored by the
// site model -> switching back restores the shipped model. Small self-written data: a site whose readers use an
// insult ("zorblax") that the shipped model has never seen.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onEachDatabase } from '../helpers/suite.js';
import { DEFAULT_MODEL_PATH, loadClassifier } from '../../src/engine/index.js';
import { LinearModel } from '../../src/engine/model.js';
import { fineTune } from '../../src/engine/training/fine-tune.js';
import { decisionsCsv } from '../../src/core/learning.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-site-models-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const shipped = loadClassifier();
const SAID = ['the bridge repairs are late', 'the council meets on tuesday', 'parking downtown is hard', 'the school board met', 'the budget vote was close'];

onEachDatabase(
  'site models',
  (t) => {
    it('exports, trains, compares, switches (audited), scores the site\'s comments with its model, and switches back', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const admin = await t().agent('admin');
      const rude: string[] = [];
      const fine: string[] = [];
      for (let i = 0; i < 120; i++) {
        const bad = i % 2 === 0;
        const said = SAID[(i >> 1) % SAID.length];
        const c = await t().comment(author, storyId, bad ? `What a zorblax, ${said} (${i})` : `I think ${said} (${i})`);
        (bad ? rude : fine).push(c.id);
      }
      const act = async (method: 'POST' | 'PUT', url: string, body: unknown, as = moderator) => {
        const res = await t().request(method, url, { as, body });
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        return res.json();
      };
      await act('POST', '/api/moderation/comments/bulk', { action: 'approve', ids: fine });
      await act('POST', '/api/moderation/comments/bulk', { action: 'reject', ids: rude, reason: 'Name-calling' });
      for (const id of rude) await act('PUT', `/api/moderation/comments/${id}/labels`, { labels: { insult: true, toxic: true } });

      // Export -> train (as `parley model export-decisions` and `parley model train --base shipped` do).
      const siteId = t().siteId;
      const csv = join(dir, `${siteId}.csv`);
      writeFileSync(csv, decisionsCsv(siteId, await t().context.learning.examples(siteId)));
      const trained = fineTune({ base: LinearModel.load(DEFAULT_MODEL_PATH), files: [csv], epochs: 8, lr: 0.05 });
      trained.model.save(join(dir, `${siteId}.model`));
      const version = trained.model.meta.version;

      // Compare: both models on the site's held-out decisions.
      const report = await t().request('GET', `/api/sites/${siteId}/model?holdRate=0.2&precision=0.9`, { as: moderator });
      assert.equal(report.statusCode, 200, report.body);
      const r = report.json();
      assert.equal(r.active, 'shipped');
      assert.equal(r.site.version, version);
      assert.equal(r.shipped.version, shipped.version);
      assert.ok(r.evaluation.rows > 0);
      const insult = r.evaluation.labels.find((l: { label: string }) => l.label === 'insult');
      assert.ok(insult.positives > 0 && insult.positives < insult.rows);
      assert.ok(insult.site.rocAuc >= insult.shipped.rocAuc, JSON.stringify(insult));
      assert.ok(insult.site.holdRate > insult.shipped.holdRate, 'the site model holds what this site rejects');
      const curve = r.calibration.find((c: { label: string }) => c.label === 'insult');
      assert.equal(curve.model, 'site');
      assert.equal(curve.points.length, 19);
      assert.ok(curve.forHoldRate === null || curve.points.find((p: { threshold: number }) => p.threshold === curve.forHoldRate).holdRate <= 0.2);

      const text = 'What a zorblax, the library hours changed again';
      const before = await t().comment(author, storyId, text);
      assert.equal(before.status, 'published', 'the shipped model does not know the word');

      // Only admins switch; the switch is audited.
      const refused = await t().request('PUT', `/api/sites/${siteId}/model`, { as: moderator, body: { use: 'site' } });
      assert.equal(refused.statusCode, 403);
      assert.deepEqual(await act('PUT', `/api/sites/${siteId}/model`, { use: 'site' }, admin), { active: 'site', version });
      const audit = (await t().request('GET', '/api/moderation/audit', { as: admin })).json();
      const entry = audit.entries.find((e: { action: string }) => e.action === 'site.model');
      assert.ok(entry, 'the switch is in the audit log');
      assert.equal((await t().request('GET', `/api/sites/${siteId}/model`, { as: moderator })).json().active, 'site');

      const during = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: text } });
      assert.equal(during.statusCode, 201, during.body);
      const held = during.json();
      assert.equal(held.comment?.status ?? held.status, 'pending');
      const queued = (await t().request('GET', `/api/moderation/queue?storyId=${storyId}&label=insult`, { as: moderator })).json();
      const item = queued.items.find((i: { comment: { text: string } }) => i.comment.text === text);
      assert.ok(item, 'held on insult by the site model');
      assert.ok(item.comment.scores.insult >= 0.5);

      // Back to the shipped model: reversible.
      assert.deepEqual(await act('PUT', `/api/sites/${siteId}/model`, { use: 'shipped' }, admin), { active: 'shipped', version: null });
      const afterwards = await t().comment(author, storyId, text);
      assert.equal(afterwards.status, 'published');
    });

    it('refuses to switch a site that has no model of its own', async () => {
      const admin = await t().agent('admin');
      const other = await t().request('PUT', '/api/sites/nosuchsite/model', { as: admin, body: { use: 'site' } });
      assert.equal(other.statusCode, 404);
      rmSync(join(dir, `${t().siteId}.model`), { force: true });
      const none = await t().request('PUT', `/api/sites/${t().siteId}/model`, { as: admin, body: { use: 'site' } });
      assert.equal(none.statusCode, 409);
      assert.equal(none.json().error.code, 'no_site_model');
    });
  },
  { scorer: shipped, config: (c) => ({ ...c, siteModelsDir: dir }) },
);
