// A site's archive read back into another instance answers every read of the API as the original does,
// on SQLite and PostgreSQL; a second import of it is refused, and nothing of a broken archive stays.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { loadClassifier } from '../../src/engine/index.js';
import { createApiToken } from '../../src/storage/sessions.js';
import { exportArchive, exportCommentsCsv, importArchive } from '../../src/interop/archive.js';
import { ParleyError } from '../../src/core/errors.js';

const scorer = loadClassifier();

async function archiveOf(t: TestApp, siteId: string): Promise<string[]> {
  const lines: string[] = [];
  await exportArchive(t.context.storage, siteId, async (line) => void lines.push(line));
  return lines;
}

/** Everything a reader, an author and an admin can read about the site, as JSON text. */
async function reads(t: TestApp, ids: { storyIds: string[]; commentIds: string[]; authorId: string; voterId: string; adminId: string; siteId: string }) {
  const bearer = async (userId: string) => ({ authorization: `Bearer ${await createApiToken(t.db, userId, 'compare')}` });
  const viewers = { anonymous: {}, author: await bearer(ids.authorId), voter: await bearer(ids.voterId), admin: await bearer(ids.adminId) };
  const urls = [
    ...ids.storyIds.flatMap((id) => [`/api/stories/${id}`, ...['oldest', 'newest', 'top'].map((sort) => `/api/stories/${id}/comments?sort=${sort}&limit=2`)]),
    ...ids.commentIds.flatMap((id) => [`/api/comments/${id}`, `/api/comments/${id}/replies`]),
    `/api/moderation/queue?queue=all&siteId=${ids.siteId}`,
    `/api/moderation/queue?queue=rejected&siteId=${ids.siteId}`,
    `/api/moderation/audit`,
    `/api/sites/${ids.siteId}/policy`,
    `/api/sites/${ids.siteId}/origins`,
  ];
  const out: Record<string, string> = {};
  for (const [viewer, headers] of Object.entries(viewers)) {
    for (const url of urls) {
      const res = await t.app.inject({ url, headers });
      out[`${viewer} ${url}`] = `${res.statusCode} ${res.body}`;
    }
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`site archive round trip [${dialect}]`, () => {
    const apps: TestApp[] = [];
    after(async () => {
      for (const app of apps) await app.close();
    });

    it('reads back into an empty instance that then answers every read alike', async () => {
      const a = await startTestApp(dialect, { scorer });
      apps.push(a);
      const author = await a.agent();
      const voter = await a.agent();
      const admin = await a.agent('admin');
      const storyIds = [await a.story({ title: 'First story' }), await a.story({ title: 'Second story' })];
      const root = await a.comment(author, storyIds[0]!, 'The council should publish the **budget**.');
      const reply = await a.comment(voter, storyIds[0]!, 'Agreed, and the minutes too.', root.id);
      const deep = await a.comment(author, storyIds[0]!, 'They did, last week.', reply.id);
      const other = await a.comment(voter, storyIds[1]!, 'You are an idiot and a disgrace.');
      const deleted = await a.comment(author, storyIds[1]!, 'I take this back.');
      await a.request('DELETE', `/api/comments/${deleted.id}`, { as: author });
      await a.request('POST', `/api/comments/${root.id}/vote`, { as: voter, body: { value: 1 } });
      await a.request('POST', `/api/comments/${reply.id}/vote`, { as: author, body: { value: -1 } });
      await a.request('POST', `/api/comments/${root.id}/reports`, { as: voter, body: { reason: 'spam', note: 'looks like an ad' } });
      await a.request('POST', `/api/moderation/comments/${reply.id}/feature`, { as: admin, body: { featured: true } });
      await a.request('POST', `/api/moderation/comments/${other.id}/reject`, { as: admin, body: { reason: 'Insults another reader' } });
      const policy = (await a.request('GET', `/api/sites/${a.siteId}/policy`, { as: admin })).json();
      await a.request('PUT', `/api/sites/${a.siteId}/policy`, { as: admin, body: { ...policy, maxLinks: 4 } });
      const origins = await a.request('PUT', `/api/sites/${a.siteId}/origins`, { as: admin, body: { origins: ['https://news.example.com'] } });
      assert.equal(origins.statusCode, 200, origins.body);

      const lines = await archiveOf(a, a.siteId);
      assert.doesNotMatch(lines.join('\n'), /\$argon2/, 'no password hash leaves the instance');

      const b = await startTestApp(dialect, { scorer });
      apps.push(b);
      const counts = await importArchive(b.context.storage, Readable.from(lines));
      assert.equal(counts.comments, 5);
      assert.equal(counts.votes, 2);
      assert.equal(counts.reports, 1);
      const ids = { storyIds, commentIds: [root.id, reply.id, deep.id, other.id, deleted.id], authorId: author.userId, voterId: voter.userId, adminId: admin.userId, siteId: a.siteId };
      assert.deepEqual(await reads(b, ids), await reads(a, ids));

      // The same archive again: the site is there now.
      await assert.rejects(importArchive(b.context.storage, Readable.from(lines)), (error: unknown) => error instanceof ParleyError && error.code === 'site_exists');

      const csv: string[] = [];
      await exportCommentsCsv(b.context.storage, a.siteId, async (line) => void csv.push(line));
      assert.equal(csv.length, 6);
      assert.match(csv[0]!, /^id,story_id,parent_id,author_id,created_at,status,auto_status,deleted,flagged_labels,score_toxic,/);
      assert.ok(csv.some((line) => line.includes('Insults another reader') && line.includes(',rejected,')));
    });

    it('keeps nothing of an archive that breaks half-way', async () => {
      const a = await startTestApp(dialect);
      apps.push(a);
      const author = await a.agent();
      const storyId = await a.story();
      await a.comment(author, storyId, 'A comment');
      const lines = await archiveOf(a, a.siteId);
      const b = await startTestApp(dialect);
      apps.push(b);
      const broken = [...lines.slice(0, -1), '{"table": "comments", "row": {"id": "x"'];
      await assert.rejects(importArchive(b.context.storage, Readable.from(broken)), /not JSON/);
      assert.equal((await b.db.selectFrom('sites').select('id').where('id', '=', a.siteId).execute()).length, 0);
      assert.equal((await b.db.selectFrom('comments').selectAll().execute()).length, 0);
      await assert.rejects(importArchive(b.context.storage, Readable.from(['{"format":"something else"}'])), /not a Parley archive/);
    });
  });
}
