// Importing Disqus and WordPress exports, on self-written files that carry each format's quirks, on SQLite
// and PostgreSQL: replies before their parents, missing parents, a reply cycle, repeated ids, HTML and
// entities, CDATA, spam, deleted and pending comments, a huge comment, a truncated file, a second run and
// a run cut short.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { ModerationStep } from '../../src/moderation/step.js';
import { AccountService } from '../../src/core/accounts.js';
import { ParleyError } from '../../src/core/errors.js';
import { Importer, ImportInterrupted, type ImportOptions } from '../../src/interop/importer.js';
import { htmlToMarkdown } from '../../src/interop/html.js';

const HUGE = 'word '.repeat(20_000);

const post = (id: string, thread: string, body: string, extra: { parent?: string; author?: string; email?: string; at?: string; spam?: boolean; deleted?: boolean } = {}) => `
  <post dsq:id="${id}">
    <id />
    <message><![CDATA[${body}]]></message>
    <createdAt>${extra.at ?? '2020-01-01T10:00:00Z'}</createdAt>
    <isDeleted>${extra.deleted ? 'true' : 'false'}</isDeleted>
    <isSpam>${extra.spam ? 'true' : 'false'}</isSpam>
    <author>
      <email>${extra.email ?? ''}</email>
      <name>${extra.author ?? 'Jane Reader'}</name>
      <isAnonymous>false</isAnonymous>
    </author>
    <thread dsq:id="${thread}" />
    ${extra.parent ? `<parent dsq:id="${extra.parent}" />` : ''}
  </post>`;

const DISQUS = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <category dsq:id="1"><forum>news</forum><title>General</title><isDefault>true</isDefault></category>
  <thread dsq:id="t1">
    <id>bridge</id><forum>news</forum><category dsq:id="1" />
    <link>https://News.example.com/2020/bridge/?utm_source=rss#comments</link>
    <title>The bridge &amp; the budget</title>
    <message />
    <createdAt>2020-01-01T08:00:00Z</createdAt>
    <author><email>desk@example.com</email><name>Desk</name><isAnonymous>false</isAnonymous></author>
    <isClosed>false</isClosed><isDeleted>false</isDeleted>
  </thread>
  <thread dsq:id="t2">
    <id>rates</id><forum>news</forum><category dsq:id="1" />
    <link>https://news.example.com/2020/rates</link>
    <title>Rates go up</title>
    <createdAt>2020-01-02T08:00:00Z</createdAt>
    <isClosed>false</isClosed><isDeleted>false</isDeleted>
  </thread>
  ${post('p3', 't1', '<p>A reply that comes <b>before</b> its parent</p>', { parent: 'p1', at: '2020-01-01T11:00:00Z', author: 'Bob', email: 'bob@example.com' })}
  ${post('p1', 't1', '<p>First &amp; foremost: the &lt;budget&gt; <a href="https://example.com/x">matters</a>.</p><p>Second paragraph<br>with a break</p>', { author: 'Ana Müller', email: 'ana@example.com' })}
  ${post('p4', 't1', 'A reply to a post that is not in the file', { parent: 'nowhere', at: '2020-01-01T12:00:00Z' })}
  ${post('p5', 't1', 'Buy cheap watches', { spam: true, at: '2020-01-01T13:00:00Z', author: 'Spammer' })}
  ${post('p6', 't1', 'Something I regret', { deleted: true, at: '2020-01-01T14:00:00Z' })}
  ${post('p7', 't2', 'Cycle one', { parent: 'p8', at: '2020-01-02T10:00:00Z' })}
  ${post('p8', 't2', 'Cycle two', { parent: 'p7', at: '2020-01-02T11:00:00Z' })}
  ${post('p1', 't1', 'The same id again')}
  ${post('p9', 't2', HUGE, { at: '2020-01-02T12:00:00Z', author: 'Ana Müller', email: 'ana@example.com' })}
  ${post('p10', 't2', '<script>alert(1)</script><p onclick="x()">Careful <a href="javascript:alert(1)">link</a></p>', { at: '2020-01-02T13:00:00Z' })}
</disqus>
`;

const WORDPRESS = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>The Gazette</title>
  <item>
    <title>Council votes on the ferry</title>
    <link>https://gazette.example.org/ferry/</link>
    <dc:creator><![CDATA[editor]]></dc:creator>
    <content:encoded><![CDATA[<p>The story.</p>]]></content:encoded>
    <wp:post_id>42</wp:post_id>
    <wp:post_date_gmt>2019-05-01 09:00:00</wp:post_date_gmt>
    <wp:post_type>post</wp:post_type>
    <wp:status>publish</wp:status>
    <wp:comment>
      <wp:comment_id>7</wp:comment_id>
      <wp:comment_author><![CDATA[Sam]]></wp:comment_author>
      <wp:comment_author_email>sam@example.org</wp:comment_author_email>
      <wp:comment_date_gmt>2019-05-01 10:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[The ferry is late <em>again</em>.]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_type></wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>
      <wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key><wp:meta_value><![CDATA[false]]></wp:meta_value></wp:commentmeta>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>8</wp:comment_id>
      <wp:comment_author><![CDATA[Lee]]></wp:comment_author>
      <wp:comment_date_gmt>2019-05-01 11:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Agreed, twice this week.]]></wp:comment_content>
      <wp:comment_approved>0</wp:comment_approved>
      <wp:comment_parent>7</wp:comment_parent>
      <wp:comment_user_id>3</wp:comment_user_id>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>9</wp:comment_id>
      <wp:comment_author><![CDATA[Other blog]]></wp:comment_author>
      <wp:comment_date_gmt>2019-05-01 12:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[[...] linked here [...]]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_type>pingback</wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>10</wp:comment_id>
      <wp:comment_author><![CDATA[Spam bot]]></wp:comment_author>
      <wp:comment_date_gmt>2019-05-01 13:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[cheap pills]]></wp:comment_content>
      <wp:comment_approved>spam</wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>11</wp:comment_id>
      <wp:comment_author><![CDATA[Sam]]></wp:comment_author>
      <wp:comment_author_email>sam@example.org</wp:comment_author_email>
      <wp:comment_date_gmt>2019-05-01 14:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Never mind.]]></wp:comment_content>
      <wp:comment_approved>trash</wp:comment_approved>
      <wp:comment_parent>8</wp:comment_parent>
    </wp:comment>
  </item>
  <item>
    <title>An attachment</title>
    <link>https://gazette.example.org/ferry/photo/</link>
    <wp:post_id>43</wp:post_id>
    <wp:post_type>attachment</wp:post_type>
  </item>
</channel>
</rss>
`;

/** The imported threads as (file id → parent's file id, depth, status, deleted), comparable across runs. */
async function shape(database: TestDatabase, siteId: string) {
  const db = database.storage.db;
  const keys = await db.selectFrom('import_keys').select(['external_id', 'parley_id']).where('site_id', '=', siteId).where('kind', '=', 'comment').execute();
  const byParley = new Map(keys.map((k) => [k.parley_id, k.external_id]));
  const rows = await db.selectFrom('comments').select(['id', 'parent_id', 'depth', 'status', 'deleted_at', 'story_id']).where('site_id', '=', siteId).execute();
  return rows
    .map((r) => `${byParley.get(r.id)} <- ${r.parent_id ? byParley.get(r.parent_id) : '-'} depth ${r.depth} ${r.status}${r.deleted_at ? ' deleted' : ''}`)
    .sort();
}

for (const dialect of DIALECTS) {
  describe(`import [${dialect}]`, () => {
    let dir: string;
    const databases: TestDatabase[] = [];
    const file = (name: string, text: string | Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    async function fresh() {
      const database = await createTestDatabase(dialect);
      databases.push(database);
      const site = await insertSite(database.storage.db, 'Imported site', JSON.stringify(DEFAULT_POLICY));
      const importer = new Importer(database.storage, new ModerationStep(null));
      const run = (options: Omit<ImportOptions, 'siteId'>) => importer.run({ siteId: site.id, ...options });
      return { database, siteId: site.id, run, db: database.storage.db };
    }

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'parley-import-'));
    });
    after(async () => {
      for (const database of databases) await database.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports a Disqus file: threads with their nesting, authors, states, and what it could not place', async () => {
      const { run, db, database, siteId } = await fresh();
      const path = file('disqus.xml', DISQUS);
      const summary = await run({ source: 'disqus', file: path, moderation: 'score' });
      assert.equal(summary.stories.created, 2);
      assert.equal(summary.comments.placed, 9);
      assert.equal(summary.comments.missingParent, 1);
      assert.equal(summary.comments.cycleBroken, 1);
      assert.equal(summary.comments.rejectedAsSpam, 1);
      assert.equal(summary.comments.deleted, 1);
      assert.equal(summary.skipped['a comment staged before (an id repeated in the file, or a run cut short)'], 1);
      assert.deepEqual(await shape(database, siteId), [
        'p1 <- - depth 0 published',
        'p10 <- - depth 0 published',
        'p3 <- p1 depth 1 published',
        'p4 <- - depth 0 published',
        'p5 <- - depth 0 rejected',
        'p6 <- - depth 0 published deleted',
        'p7 <- - depth 0 published',
        'p8 <- p7 depth 1 published',
        'p9 <- - depth 0 published',
      ]);
      const story = await db.selectFrom('stories').selectAll().where('title', '=', 'The bridge & the budget').executeTakeFirstOrThrow();
      assert.equal(story.url, 'https://news.example.com/2020/bridge', 'the canonical URL: host lower-cased, tracking and fragment dropped');
      const first = await db.selectFrom('comments').innerJoin('users', 'users.id', 'comments.author_id').select(['body_markdown', 'body_html', 'username', 'email', 'password_hash']).where('body_markdown', 'like', 'First%').executeTakeFirstOrThrow();
      assert.equal(first.body_markdown, 'First & foremost: the <budget> [matters](https://example.com/x).\n\nSecond paragraph\nwith a break');
      assert.match(first.body_html, /<a href="https:\/\/example.com\/x" rel="nofollow ugc noopener">matters<\/a>/);
      assert.equal(first.username, 'Ana_Muller');
      assert.equal(first.email, 'ana@example.com');
      assert.equal(first.password_hash, '', 'imported accounts have no password');
      const careful = await db.selectFrom('comments').select(['body_html']).where('body_markdown', 'like', '%Careful%').executeTakeFirstOrThrow();
      assert.doesNotMatch(careful.body_html, /<script|onclick|javascript:/);
      const huge = await db.selectFrom('comments').select(['body_markdown']).where('body_markdown', 'like', 'word word%').executeTakeFirstOrThrow();
      assert.equal(huge.body_markdown.length, HUGE.trim().length);
      // Ana wrote two comments, on two stories: one account.
      const anas = await db.selectFrom('users').select('id').where('username', 'like', 'Ana%').execute();
      assert.equal(anas.length, 1);
      assert.equal((await db.selectFrom('import_staging').selectAll().execute()).length, 0, 'nothing left staged');
    });

    it('adds nothing on a second run of the same file, and merges stories with one already there', async () => {
      const { run, db } = await fresh();
      await insertStory(db, { site_id: (await db.selectFrom('sites').select('id').executeTakeFirstOrThrow()).id, url: 'https://news.example.com/2020/rates', title: 'Rates go up', published_at: 1 });
      const path = file('disqus-twice.xml', DISQUS);
      const once = await run({ source: 'disqus', file: path, moderation: 'score' });
      assert.equal(once.stories.created, 1);
      assert.equal(once.stories.merged, 1);
      const count = async () => Number((await db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const twice = await run({ source: 'disqus', file: path, moderation: 'score' });
      assert.equal(twice.comments.placed, 0);
      assert.equal(twice.stories.created, 0);
      assert.equal(twice.stories.alreadyImported, 2);
      assert.equal(twice.comments.alreadyImported, 10);
      assert.equal(await count(), before);
    });

    it('refuses a truncated file with the line it broke on, and imports nothing of it', async () => {
      const { run, db } = await fresh();
      const path = file('truncated.xml', DISQUS.slice(0, Math.floor(DISQUS.length * 0.6)));
      await assert.rejects(run({ source: 'disqus', file: path, moderation: 'score' }), /not well-formed XML \(line \d+/);
      for (const table of ['stories', 'comments', 'import_staging', 'import_keys'] as const) {
        assert.equal((await db.selectFrom(table).selectAll().execute()).length, 0, table);
      }
    });

    it('finishes a run cut short when run again, with the same result as one clean run', async () => {
      const clean = await fresh();
      const path = file('resume.xml', DISQUS);
      await clean.run({ source: 'disqus', file: path, moderation: 'score', batchSize: 2 });
      for (const stopAt of ['stage', 'place'] as const) {
        const cut = await fresh();
        const stop = new AbortController();
        await assert.rejects(
          cut.run({ source: 'disqus', file: path, moderation: 'score', batchSize: 2, signal: stop.signal, onProgress: (p) => p.pass === stopAt && p.done >= 2 && stop.abort() }),
          ImportInterrupted,
        );
        assert.ok((await cut.db.selectFrom('import_keys').selectAll().execute()).length > 0, 'some of it was imported');
        await cut.run({ source: 'disqus', file: path, moderation: 'score', batchSize: 2 });
        assert.deepEqual(await shape(cut.database, cut.siteId), await shape(clean.database, clean.siteId), `stopped while ${stopAt === 'stage' ? 'staging' : 'placing'}`);
      }
    });

    it('imports a WordPress file: pending, spam and trashed comments, replies, and no pingbacks', async () => {
      const { run, database, siteId, db } = await fresh();
      const summary = await run({ source: 'wordpress', file: file('wordpress.xml', WORDPRESS), moderation: 'score' });
      assert.equal(summary.stories.created, 1);
      assert.equal(summary.skipped['a pingback'], 1);
      assert.deepEqual(await shape(database, siteId), ['10 <- - depth 0 rejected', '11 <- 8 depth 2 published deleted', '7 <- - depth 0 published', '8 <- 7 depth 1 pending']);
      const story = await db.selectFrom('stories').selectAll().executeTakeFirstOrThrow();
      assert.equal(story.url, 'https://gazette.example.org/ferry');
      assert.equal(story.published_at, Date.parse('2019-05-01T09:00:00Z'));
      const sam = await db.selectFrom('comments').innerJoin('users', 'users.id', 'comments.author_id').select(['username', 'body_markdown', 'comments.created_at']).where('body_markdown', 'like', 'The ferry%').executeTakeFirstOrThrow();
      assert.equal(sam.username, 'Sam');
      assert.equal(sam.body_markdown, 'The ferry is late *again*.');
      assert.equal(sam.created_at, Date.parse('2019-05-01T10:00:00Z'));
    });

    it('an imported account cannot be logged in to: a clear 401, not a server error', async () => {
      const { run, database } = await fresh();
      await run({ source: 'wordpress', file: file('wordpress-login.xml', WORDPRESS), moderation: 'score' });
      await assert.rejects(new AccountService(database.storage).logIn('Sam', '', 60_000), (error: unknown) => error instanceof ParleyError && error.status === 401);
    });
  });
}

describe('import helpers', () => {
  it('turns comment HTML into Markdown with the same meaning', () => {
    assert.equal(htmlToMarkdown('<p>One *star* and <strong>bold</strong></p><p>Two</p>'), 'One \\*star\\* and **bold**\n\nTwo');
    assert.equal(htmlToMarkdown('<blockquote>Quoted</blockquote>Reply'), '> Quoted\n\nReply');
    assert.equal(htmlToMarkdown('<ul><li>a</li><li>b</li></ul>'), '- a\n- b');
    assert.equal(htmlToMarkdown('<a href="javascript:x()">no link</a> &eacute;t&eacute;'), 'no link été');
  });
});
