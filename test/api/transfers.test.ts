// Imports and exports from the console, over HTTP on SQLite and PostgreSQL: an uploaded Disqus file imported in
// the background with its progress and summary, refusals (type, size, empty, a second import at once), a broken
// file that leaves nothing half-imported, an import cut short by a restart and resumed, and the site's archive and
// CSV as downloads. Who may call each route is in the authorization matrix.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp, type Agent, type TestApp } from '../helpers/app.js';
import { newId } from '../../src/storage/ids.js';
import { startImportJob } from '../../src/storage/imports.js';
import type { ImportJob } from '../../src/contracts/api.js';

const post = (id: string, thread: string, body: string, parent?: string) => `
  <post dsq:id="${id}">
    <message><![CDATA[${body}]]></message>
    <createdAt>2021-03-0${(Number(id.replace(/\D/g, '')) % 9) + 1}T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><email>reader${id}@example.com</email><name>Reader ${id}</name><isAnonymous>false</isAnonymous></author>
    <thread dsq:id="${thread}" />
    ${parent ? `<parent dsq:id="${parent}" />` : ''}
  </post>`;

/** A Disqus export: `threads` stories with `perThread` comments each, every third a reply to the one before. */
function disqusFile(threads: number, perThread: number, prefix = ''): string {
  const parts = ['<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'];
  for (let t = 0; t < threads; t++) {
    parts.push(`<thread dsq:id="${prefix}t${t}"><link>https://news.example.com/${prefix}story/${t}</link><title>Story ${t}</title><createdAt>2021-03-01T08:00:00Z</createdAt></thread>`);
  }
  let n = 0;
  for (let t = 0; t < threads; t++) {
    for (let i = 0; i < perThread; i++, n++) parts.push(post(`${prefix}p${n}`, `${prefix}t${t}`, `<p>Comment ${n} on &amp; about story ${t}</p>`, i % 3 === 2 ? `${prefix}p${n - 1}` : undefined));
  }
  parts.push('</disqus>');
  return parts.join('\n');
}

for (const dialect of DIALECTS) {
  describe(`imports and exports from the console [${dialect}]`, () => {
    let t: TestApp;
    let admin: Agent;
    let dir: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'parley-uploads-'));
      t = await startTestApp(dialect, { config: (c) => ({ ...c, imports: { dir, maxBytes: 2_000_000 } }) });
      admin = await t.agent('admin', 'desk_admin');
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const upload = (file: string, query = 'source=disqus&fileName=export.xml', type = 'application/xml') =>
      t.request('POST', `/api/sites/${t.siteId}/imports?${query}`, { as: admin, body: file, headers: { 'content-type': type } });

    async function finished(jobId: string): Promise<ImportJob> {
      for (let i = 0; i < 600; i++) {
        const job = (await t.request('GET', `/api/sites/${t.siteId}/imports/${jobId}`, { as: admin })).json() as ImportJob;
        if (job.status !== 'running') return job;
        await sleep(50);
      }
      throw new Error('the import did not finish within 30 s');
    }

    const count = async (table: 'comments' | 'stories') =>
      Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', t.siteId).executeTakeFirstOrThrow()).n);

    it('imports an uploaded file in the background, with its progress, summary and audit entry', async () => {
      const res = await upload(disqusFile(2, 6));
      assert.equal(res.statusCode, 202, res.body);
      const started = res.json() as ImportJob;
      assert.equal(started.fileName, 'export.xml');
      assert.equal(started.startedBy, 'desk_admin');
      const job = await finished(started.id);
      assert.equal(job.status, 'done', JSON.stringify(job));
      assert.ok(job.summary?.some((line) => line.startsWith('Comments: 12 imported')), JSON.stringify(job.summary));
      assert.equal(await count('comments'), 12);
      assert.equal(await count('stories'), 2);
      assert.deepEqual(readdirSync(dir), [], 'the upload is deleted once imported');
      const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'site.import').execute();
      assert.equal(audit.length, 1);
      assert.equal(JSON.parse(audit[0]!.after_json!).job, started.id);
      const list = (await t.request('GET', `/api/sites/${t.siteId}/imports`, { as: admin })).json() as { imports: ImportJob[] };
      assert.equal(list.imports[0]?.id, started.id);

      // The same file again adds nothing, and says so.
      const again = await finished(((await upload(disqusFile(2, 6))).json() as ImportJob).id);
      assert.ok(again.summary?.includes('Nothing new: this file was imported before.'), JSON.stringify(again.summary));
      assert.equal(await count('comments'), 12);
    });

    it('refuses what it cannot import with a clear 4xx and keeps nothing', async () => {
      const before = await count('comments');
      const json = await t.request('POST', `/api/sites/${t.siteId}/imports?source=disqus`, { as: admin, body: { file: 'x' } });
      assert.equal(json.statusCode, 415);
      assert.match((json.json() as { error: { message: string } }).error.message, /export file itself/);
      assert.equal((await upload('<disqus/>', 'source=disqus', 'text/plain')).statusCode, 415);
      const empty = await upload('');
      assert.equal(empty.statusCode, 400, empty.body);
      const large = await upload(`<disqus>${' '.repeat(2_100_000)}</disqus>`);
      assert.equal(large.statusCode, 413, large.body);
      assert.equal((large.json() as { error: { code: string } }).error.code, 'file_too_large');
      assert.equal((await upload('<disqus/>', 'source=myspace')).statusCode, 400);
      assert.deepEqual(readdirSync(dir), [], 'no refused upload stays on disk');
      assert.equal(await count('comments'), before);
    });

    it('fails a truncated file with its reason, having imported none of it', async () => {
      const before = await count('comments');
      const whole = disqusFile(1, 5, 'truncated');
      const job = await finished(((await upload(whole.slice(0, whole.length - 200))).json() as ImportJob).id);
      assert.equal(job.status, 'failed');
      assert.ok(job.error && job.error.length > 0);
      assert.equal(job.resumable, false);
      assert.equal(await count('comments'), before);
    });

    it('refuses a second import of the site while one runs', async () => {
      const now = Date.now();
      await startImportJob(
        t.db,
        { id: newId(), site_id: t.siteId, source: 'disqus', moderation: 'score', file_name: 'other.xml', file_bytes: 10, started_by: admin.userId, created_at: now },
        now - 1000,
      );
      const res = await upload(disqusFile(1, 1));
      assert.equal(res.statusCode, 409);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'import_running');
      // Once that job has gone silent (its process died), it shows as interrupted and another import may start.
      await t.db.updateTable('import_jobs').set({ updated_at: now - 3_600_000 }).where('file_name', '=', 'other.xml').execute();
      const jobs = (await t.request('GET', `/api/sites/${t.siteId}/imports`, { as: admin })).json() as { imports: ImportJob[] };
      const silent = jobs.imports.find((j) => j.fileName === 'other.xml')!;
      assert.equal(silent.status, 'interrupted');
      assert.equal(silent.resumable, false, 'its file never reached this server');
      const resume = await t.request('POST', `/api/sites/${t.siteId}/imports/${silent.id}/resume`, { as: admin });
      assert.equal(resume.statusCode, 409);
      assert.equal((resume.json() as { error: { code: string } }).error.code, 'file_gone');
    });

    it('resumes an import a restart cut short, ending as one clean run would', async () => {
      const before = await count('comments');
      const res = await upload(disqusFile(3, 400, 'resume'), 'source=disqus&fileName=big.xml');
      assert.equal(res.statusCode, 202, res.body);
      const id = (res.json() as ImportJob).id;
      // What a restart does: the running import stops between two batches.
      await t.context.transfers.close();
      const cut = (await t.request('GET', `/api/sites/${t.siteId}/imports/${id}`, { as: admin })).json() as ImportJob;
      assert.equal(cut.status, 'interrupted');
      assert.equal(cut.resumable, true);
      assert.ok((await count('comments')) - before < 1200, 'the import stopped part way');
      const resumed = await t.request('POST', `/api/sites/${t.siteId}/imports/${id}/resume`, { as: admin });
      assert.equal(resumed.statusCode, 202, resumed.body);
      const job = await finished(id);
      assert.equal(job.status, 'done');
      assert.equal((await count('comments')) - before, 1200);
      assert.equal((await t.request('POST', `/api/sites/${t.siteId}/imports/${id}/resume`, { as: admin })).statusCode, 409);
    });

    it('downloads the site as an archive and its comments as CSV, each audited', async () => {
      const archive = await t.request('GET', `/api/sites/${t.siteId}/export`, { as: admin });
      assert.equal(archive.statusCode, 200);
      assert.match(String(archive.headers['content-disposition']), /^attachment; filename="parley-.+\.jsonl"$/);
      const lines = archive.body.trim().split('\n').map((line) => JSON.parse(line) as { table?: string; siteId?: string });
      assert.equal(lines[0]?.siteId, t.siteId);
      assert.equal(lines.filter((l) => l.table === 'comments').length, await count('comments'));
      const csv = await t.request('GET', `/api/sites/${t.siteId}/export?format=csv`, { as: admin });
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.equal(csv.body.trim().split('\n').length, (await count('comments')) + 1);
      const audit = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'site.export').execute();
      assert.deepEqual(audit.map((a) => JSON.parse(a.after_json!).format).sort(), ['csv', 'jsonl']);
      assert.equal((await t.request('GET', `/api/sites/nosuchsite/export`, { as: admin })).statusCode, 404);
    });
  });
}
