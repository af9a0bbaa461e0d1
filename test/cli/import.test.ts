import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/db.js';
import { insertSite } from '../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';

const parley = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

// A byte that is not UTF-8 (0xFF) inside a comment: it is read as U+FFFD, the rest of the file as written.
const DISQUS = Buffer.concat([
  Buffer.from(`<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="t1"><link>https://news.example.com/story</link><title>A story</title><createdAt>2021-03-01T08:00:00Z</createdAt></thread>
  <post dsq:id="p1"><message><![CDATA[<p>Caf`),
  Buffer.from([0xff]),
  Buffer.from(` reopened</p>]]></message><createdAt>2021-03-01T09:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Reader One</name></author><thread dsq:id="t1" /></post>
  <post dsq:id="p2"><message>Reply</message><createdAt>2021-03-01T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Reader Two</name></author><thread dsq:id="t1" /><parent dsq:id="p1" /></post>
</disqus>
`),
]);

it('imports a Disqus file from the command line, says what it did, adds nothing the second time, and moves the site through its archive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-import-'));
  const env = { PARLEY_DATA_DIR: dir, PARLEY_CLASSIFIER: 'off' };
  try {
    const storage = await openStorage({ location: join(dir, 'parley.sqlite') });
    const site = await insertSite(storage.db, 'Imported', JSON.stringify(DEFAULT_POLICY));
    await storage.close();
    const file = join(dir, 'export.xml');
    writeFileSync(file, DISQUS);

    const usage = parley(['import', 'disqus', file], env);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--site SITE_ID/);

    const first = parley(['import', 'disqus', file, '--site', site.id], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Stories: 1 created/);
    assert.match(first.stdout, /Comments: 2 imported/);
    assert.match(first.stdout, /Authors: 2 accounts created/);
    assert.match(first.stderr, /placing comments in threads: 2\/2/, 'progress lines when not on a terminal');

    const second = parley(['import', 'disqus', file, '--site', site.id], env);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /Nothing new: this file was imported before/);

    const missing = parley(['import', 'wordpress', join(dir, 'nope.xml'), '--site', site.id], env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /ENOENT/);

    // The site moves to another instance through its archive, and its comments out as CSV.
    const archive = join(dir, 'site.jsonl');
    const exported = parley(['export', '--site', site.id, '--out', archive], env);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stderr, /2 comments/);
    const elsewhere = mkdtempSync(join(tmpdir(), 'parley-cli-import-b-'));
    try {
      const moved = parley(['import', 'parley', archive], { ...env, PARLEY_DATA_DIR: elsewhere });
      assert.equal(moved.status, 0, moved.stderr);
      assert.match(moved.stdout, /Imported 1 sites, 2 users, 1 stories, 2 comments/);
      const again = parley(['import', 'parley', archive], { ...env, PARLEY_DATA_DIR: elsewhere });
      assert.equal(again.status, 1);
      assert.match(again.stderr, /already exists here/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    const csv = parley(['export', '--site', site.id, '--format', 'csv'], env);
    assert.equal(csv.status, 0, csv.stderr);
    assert.equal(csv.stdout.trim().split('\n').length, 3);

    const check = await openStorage({ location: join(dir, 'parley.sqlite') });
    try {
      const rows = await check.db.selectFrom('comments').select(['body_markdown', 'depth']).orderBy('created_at').execute();
      assert.deepEqual(rows, [
        { body_markdown: 'Caf\ufffd reopened', depth: 0 },
        { body_markdown: 'Reply', depth: 1 },
      ]);
    } finally {
      await check.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
