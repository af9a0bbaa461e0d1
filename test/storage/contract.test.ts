// The storage contract, on SQLite and on PostgreSQL: what src/storage's functions promise their callers.
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { openStorage } from '../../src/storage/db.js';
import { insertSite, updateSite } from '../../src/storage/sites.js';
import { deleteStoryAndComments, findStoryPageHead, findStoryWithPolicy, insertStory, readStoryPage } from '../../src/storage/stories.js';
import { countPublishedOnStory, findComment, insertComment, insertCommentWithEvent, insertComments, readThreadPage, updateComment } from '../../src/storage/comments.js';
import { newId } from '../../src/storage/ids.js';
import { findUserById, findUsersByIds, insertUser, updateUser } from '../../src/storage/users.js';
import { bannedAccountAt, recordAddress } from '../../src/storage/ban-evasion.js';
import { auditedUpdate, readAudit } from '../../src/storage/audit.js';
import { appendThreadEvent, EVENT_LOCK, inTransaction, latestThreadEventId, readThreadEventsAfter } from '../../src/storage/events.js';
import { eraseComments } from '../../src/storage/personal-data.js';
import { findDelivery, outboxRow } from '../../src/storage/outbox.js';
import type { NewComment, NewOutboxRow, NewThreadEvent, UserRow } from '../../src/storage/schema.js';

for (const dialect of DIALECTS) {
  describe(`storage contract [${dialect}]`, () => {
    let database: TestDatabase;
    const db = () => database.storage.db;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(async () => {
      await database?.drop();
    });

    const newUser = (username: string) =>
      insertUser(db(), { username, email: null, passwordHash: 'x', role: 'commenter' });

    it('finds a banned account seen at an address whichever came first, the sighting or the ban, and forgets it when the ban is lifted', async () => {
      const [troll, other, poster] = await Promise.all([newUser('sighted_troll'), newUser('sighted_other'), newUser('sighted_poster')]);
      const seenSince = Date.now() - 60_000;
      await recordAddress(db(), troll.id, 'address-a', Date.now());
      await recordAddress(db(), other.id, 'address-a', Date.now());
      assert.equal(await bannedAccountAt(db(), ['address-a'], poster.id, seenSince), undefined);
      // Seen first, banned after.
      await updateUser(db(), troll.id, { banned_at: Date.now() });
      assert.deepEqual(await bannedAccountAt(db(), ['address-a'], poster.id, seenSince), { id: troll.id, username: 'sighted_troll' });
      // Not the poster's own sighting.
      assert.equal(await bannedAccountAt(db(), ['address-a'], troll.id, seenSince), undefined);
      // Banned first, seen after (and seen again: the sighting's time moves, the flag stays).
      await recordAddress(db(), troll.id, 'address-b', Date.now());
      await recordAddress(db(), troll.id, 'address-b', Date.now() + 1);
      assert.deepEqual(await bannedAccountAt(db(), ['address-b'], poster.id, seenSince), { id: troll.id, username: 'sighted_troll' });
      // Lifted: neither address finds it; a ban again finds both.
      await updateUser(db(), troll.id, { banned_at: null });
      assert.equal(await bannedAccountAt(db(), ['address-a', 'address-b'], poster.id, seenSince), undefined);
      await updateUser(db(), troll.id, { banned_at: Date.now() });
      assert.equal((await bannedAccountAt(db(), ['address-b'], poster.id, seenSince))?.id, troll.id);
      assert.equal((await bannedAccountAt(db(), ['address-a'], poster.id, seenSince))?.id, troll.id);
    });

    if (dialect === 'postgres') {
      // Two connections, each transaction held open while the other runs, in both orders.
      it('flags a sighting recorded while a ban of the same account is being committed, and one recorded just before the ban', async () => {
        const seenSince = Date.now() - 60_000;
        const [poster, banRacer, sightingRacer] = await Promise.all([newUser('race_poster'), newUser('race_banned'), newUser('race_sighted')]);
        const settled = (promise: Promise<unknown>) => Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(resolve, 200, false))]);

        // The ban first: the sighting waits for it to commit, then reads it.
        let sighting: Promise<void> | undefined;
        await db().transaction().execute(async (trx) => {
          await updateUser(trx, banRacer.id, { banned_at: Date.now() });
          sighting = recordAddress(db(), banRacer.id, 'race-address-a', Date.now());
          assert.equal(await settled(sighting), false, 'the sighting waits for the ban being committed');
        });
        await sighting;
        assert.equal((await bannedAccountAt(db(), ['race-address-a'], poster.id, seenSince))?.id, banRacer.id);

        // The sighting first: the ban waits for it to commit, and its trigger then flags the new row.
        let ban: Promise<unknown> | undefined;
        await db().transaction().execute(async (trx) => {
          await recordAddress(trx, sightingRacer.id, 'race-address-b', Date.now());
          ban = updateUser(db(), sightingRacer.id, { banned_at: Date.now() });
          assert.equal(await settled(ban), false, 'the ban waits for the sighting being committed');
        });
        await ban;
        assert.equal((await bannedAccountAt(db(), ['race-address-b'], poster.id, seenSince))?.id, sightingRacer.id);
      });
    }

    it('reads a story with its site policy in one call, and nothing for an unknown id', async () => {
      const site = await insertSite(db(), 'Contract site', '{"maxLinks":3}');
      const story = await insertStory(db(), {
        site_id: site.id,
        url: 'https://news.example.com/contract',
        title: 'Contract',
        byline: null,
        source: null,
        image_url: null,
        image_caption: null,
        body: null,
        published_at: 1_700_000_000_000,
      });
      const found = await findStoryWithPolicy(db(), story.id);
      assert.deepEqual(found, { ...story, site_policy_json: '{"maxLinks":3}', site_model_version: null });
      // With the site switched to its own model, the model's version comes with the policy.
      await updateSite(db(), site.id, { model_version: 'parley-site-0123abcd' });
      assert.equal((await findStoryWithPolicy(db(), story.id))?.site_model_version, 'parley-site-0123abcd');
      assert.equal(await findStoryWithPolicy(db(), 'nosuchstory'), undefined);
    });

    it('finds users by ids, and none for an empty list', async () => {
      const a = await newUser('contract_a');
      const b = await newUser('contract_b');
      const found = await findUsersByIds(db(), [a.id, b.id, 'missing']);
      assert.deepEqual(found.map((u) => u.id).sort(), [a.id, b.id].sort());
      assert.deepEqual(await findUsersByIds(db(), []), []);
    });

    // Stories of one site, top-level comments on them by one author, their creation events, and a check that a
    // story's count (read, and kept in story_comment_counts) agrees with its comments counted one by one.
    const countFixture = async (name: string) => {
      const site = await insertSite(db(), `${name} site`, '{}');
      const story = (title: string) =>
        insertStory(db(), { site_id: site.id, url: `https://news.example.com/${title}`, title, byline: null, source: null, image_url: null, image_caption: null, body: null, published_at: 1_700_000_000_000 });
      const author = await newUser(`${name}_author`);
      let at = 1_700_000_000_000;
      const comment = (storyId: string, status: NewComment['status']): NewComment => {
        const id = newId();
        return {
          id, story_id: storyId, site_id: site.id, parent_id: null, root_id: id, depth: 0, author_id: author.id,
          body_markdown: 'x', body_html: '<p>x</p>', status, auto_status: status, reasons_json: '[]', scores_json: null,
          created_at: at++, edited_at: null, deleted_at: null, spans_json: null, flagged_labels: null, max_score: null,
          moderated_by: null, moderated_at: null, moderation_reason: null, featured_at: null,
        };
      };
      const event = (c: NewComment, type: NewThreadEvent['type']): NewThreadEvent => ({
        story_id: c.story_id, site_id: site.id, comment_id: c.id, parent_id: null, author_id: author.id, type,
        status: c.status, was_public: 0, payload_json: '{}', created_at: c.created_at,
      });
      const expect = async (storyId: string, n: number, step: string) => {
        const rows = await db().selectFrom('comments').select('id').where('story_id', '=', storyId).where('status', '=', 'published').where('deleted_at', 'is', null).execute();
        assert.equal(rows.length, n, `${step}: the comments themselves`);
        assert.equal(await countPublishedOnStory(db(), storyId), n, step);
        const kept = await db().selectFrom('story_comment_counts').select('published').where('story_id', '=', storyId).executeTakeFirst();
        assert.equal(Number(kept?.published ?? 0), n, `${step}: the kept count`);
      };
      return { story, comment, event, expect, now: () => at++ };
    };

    it("keeps a story's published count exact through every kind of write to its comments", async () => {
      const { story, comment, event, expect, now } = await countFixture('count');
      const a = await story('count-a');
      const b = await story('count-b');
      await expect(a.id, 0, 'a story without comments');
      const first = comment(a.id, 'published');
      await insertComment(db(), first);
      await expect(a.id, 1, 'a published comment');
      const held = comment(a.id, 'pending');
      await insertComment(db(), held);
      await expect(a.id, 1, 'a held comment');
      await updateComment(db(), held.id, { status: 'published' });
      await expect(a.id, 2, 'a held comment published by a moderator');
      await updateComment(db(), first.id, { deleted_at: now() });
      await expect(a.id, 1, 'a deleted comment');
      await updateComment(db(), first.id, { deleted_at: null });
      await expect(a.id, 2, 'a deletion undone');
      await updateComment(db(), held.id, { status: 'rejected' });
      await expect(a.id, 1, 'a published comment rejected');
      await updateComment(db(), first.id, { score: 3, edited_at: now() });
      await expect(a.id, 1, 'a vote and an edit');
      await updateComment(db(), first.id, { status: 'published', edited_at: now() });
      await expect(a.id, 1, 'an edit published again');
      // Posts that arrive together (one statement on PostgreSQL), a held one among them.
      const posted = [comment(a.id, 'published'), comment(a.id, 'pending'), comment(a.id, 'published')];
      await Promise.all(posted.map((c) => insertCommentWithEvent(db(), c, [], event(c, 'comment.created'))));
      await expect(a.id, 3, 'posts together');
      await eraseComments(db(), [posted[0]!.id, posted[1]!.id]);
      await expect(a.id, 2, 'comments erased with their account');
      await updateComment(db(), posted[2]!.id, { status: 'rejected' });
      await expect(a.id, 1, 'a post rejected');
      const imported = [comment(b.id, 'published'), comment(b.id, 'published'), comment(b.id, 'pending')];
      await insertComments(db(), imported);
      await expect(b.id, 2, 'an imported batch');
      await db().updateTable('comments').set({ story_id: a.id }).where('id', '=', imported[0]!.id).execute();
      await expect(a.id, 2, 'a comment moved in');
      await expect(b.id, 1, 'a comment moved out');
      await db().updateTable('comments').set({ status: 'published', deleted_at: now() }).where('id', '=', imported[2]!.id).execute();
      await expect(b.id, 1, 'published and deleted at once');
      await db().deleteFrom('comments').where('id', '=', first.id).execute();
      await expect(a.id, 1, 'a published comment erased');
      assert.equal(await deleteStoryAndComments(db(), b.id), 2);
      await expect(b.id, 0, 'a deleted story');
      await expect(a.id, 1, 'the other story, untouched');
    });

    if (dialect === 'postgres') {
      it("takes the event lock, by EVENT_LOCK's value, before it changes a story's count (PostgreSQL)", async () => {
        const { story, comment } = await countFixture('count_lock');
        const published = comment((await story('count-lock')).id, 'published');
        await insertComment(db(), published);
        // A change to the count alone, no event appended: the advisory lock this transaction holds is the trigger's.
        const held = await inTransaction(db(), async (trx) => {
          await updateComment(trx, published.id, { status: 'rejected' });
          const { rows } = await sql<{ key: string }>`SELECT ((classid::bigint << 32) | objid::bigint)::text AS key FROM pg_locks
            WHERE locktype = 'advisory' AND objsubid = 1 AND pid = pg_backend_pid()`.execute(trx);
          return rows.map((row) => Number(row.key));
        });
        assert.deepEqual(held, [EVENT_LOCK]);
      });

      it('keeps the count through concurrent posts, moderation and erasure on one story, without a deadlock (PostgreSQL)', async () => {
        const { story, comment, event, expect } = await countFixture('count_race');
        const storyId = (await story('count-race')).id;
        const earlier = Array.from({ length: 40 }, (_, i) => comment(storyId, i % 2 ? 'published' : 'pending'));
        await insertComments(db(), earlier);
        // As the services write: the comment first, then its event (moderation, deletion); an account's comments erased.
        const decide = (c: NewComment, changes: Parameters<typeof updateComment>[2]) =>
          inTransaction(db(), async (trx) => {
            await updateComment(trx, c.id, changes);
            await appendThreadEvent(trx, event({ ...c, ...changes }, 'comment.moderated'));
          });
        const posts = Array.from({ length: 60 }, (_, i) => comment(storyId, i % 3 ? 'published' : 'pending'));
        await Promise.all([
          ...posts.map((c) => insertCommentWithEvent(db(), c, [], event(c, 'comment.created'))),
          ...earlier.slice(0, 12).map((c) => decide(c, c.status === 'pending' ? { status: 'published' } : { deleted_at: 1 })),
          ...earlier.slice(12, 20).map((c) => decide(c, { status: 'rejected' })),
          ...[20, 30].map((from) => inTransaction(db(), (trx) => eraseComments(trx, earlier.slice(from, from + 6).map((c) => c.id)))),
        ]);
        // 20 published earlier and 40 posted; then 6 published, 6 deleted, 4 rejected and 6 erased of the earlier ones.
        await expect(storyId, 20 + 40 + 6 - 6 - 4 - 6, 'after the race');
      });
    }

    it('writes an audited change and its entry together, or neither', async () => {
      const user = await newUser('contract_target');
      const changed = await auditedUpdate(db(), 'user', user.id, (row, now) => ({
        changes: { sanction_reason: 'spam', banned_at: now },
        audit: { site_id: null, actor_id: user.id, action: 'user.ban', reason: 'spam', before_json: null, after_json: null },
      }));
      assert.equal(changed?.sanction_reason, 'spam');
      assert.equal((await findUserById(db(), user.id))?.sanction_reason, 'spam');
      const { entries } = await readAudit(db(), null, null, 10);
      const entry = entries.find((e) => e.target_id === user.id)!;
      assert.equal(entry.action, 'user.ban');
      assert.equal(entry.target_type, 'user');
      assert.equal(entry.created_at, changed?.banned_at);

      await assert.rejects(
        auditedUpdate(db(), 'user', user.id, (): { changes: Partial<UserRow>; audit: never } => {
          throw new Error('refused');
        }),
        /refused/,
      );
      const after = await readAudit(db(), null, null, 10);
      assert.equal(after.entries.filter((e) => e.target_id === user.id).length, 1, 'a refused change writes no entry');

      assert.equal(
        await auditedUpdate(db(), 'user', 'nosuchuser', () => {
          throw new Error('not called');
        }),
        undefined,
      );
    });

    /** An author, a site and a story to post on, and how to make a new comment there, its event and a delivery. */
    const postingPlace = async (name: string) => {
      const author = await newUser(`contract_${name}`);
      const site = await insertSite(db(), `Site ${name}`, '{}');
      const story = await insertStory(db(), { site_id: site.id, url: `https://news.example.com/${name}`, title: name, published_at: 1_700_000_000_000 });
      const newComment = (id: string, parent?: NewComment): NewComment => ({
        id,
        story_id: story.id,
        site_id: site.id,
        parent_id: parent?.id ?? null,
        root_id: parent?.root_id ?? id,
        depth: parent ? 1 : 0,
        author_id: author.id,
        body_markdown: `comment ${id}`,
        body_html: `<p>comment ${id}</p>`,
        status: 'published',
        auto_status: 'published',
        reasons_json: '[]',
        scores_json: null,
        created_at: 1_700_000_000_000,
        edited_at: null,
        deleted_at: null,
      });
      const eventOf = (comment: NewComment): NewThreadEvent => ({
        story_id: story.id,
        site_id: site.id,
        comment_id: comment.id,
        parent_id: comment.parent_id,
        author_id: author.id,
        type: 'comment.created',
        status: 'published',
        was_public: 0,
        payload_json: JSON.stringify({ id: comment.id }),
        created_at: comment.created_at,
      });
      const delivery = (target: string) =>
        outboxRow({ kind: 'webhook', site_id: site.id, topic: 'comment.created', target, event_id: 'contract-event', payload_json: '{}' }, 1_700_000_000_000);

      return { newComment, eventOf, delivery };
    };

    it("reads a story page's head and thread together as they read apart, in one statement on PostgreSQL", async () => {
      const site = await insertSite(db(), 'Page site', '{"maxLinks":2}');
      const story = await insertStory(db(), {
        site_id: site.id, url: 'https://news.example.com/page-head', title: 'Ein “Titel” <mit> \\ Zeichen', byline: 'Ana Ñ',
        source: null, image_url: null, image_caption: null, body: 'Line one\nline "two" 🗞', published_at: 1_700_000_000_000,
      });
      const author = await newUser('page_head_author');
      let at = 1_700_000_000_000;
      const comment = (parent: NewComment | null, status: NewComment['status']): NewComment => {
        const id = newId();
        return {
          id, story_id: story.id, site_id: site.id, parent_id: parent?.id ?? null, root_id: parent?.root_id ?? id, depth: parent ? parent.depth + 1 : 0,
          author_id: author.id, body_markdown: 'x', body_html: '<p>x</p>', status, auto_status: status, reasons_json: '[]', scores_json: null,
          created_at: at++, edited_at: null, deleted_at: null, spans_json: null, flagged_labels: null, max_score: null,
          moderated_by: null, moderated_at: null, moderation_reason: null, featured_at: null,
        };
      };
      const query = { storyId: story.id, sort: 'oldest' as const, limit: 1, cursor: null, viewerId: null, replyLimit: 5 };
      const apart = async () => ({ head: (await findStoryPageHead(db(), story.id))!, page: await readThreadPage(db(), query) });
      // The page's rows carry the companion's column (null) on PostgreSQL: not part of what is compared.
      const comparable = (read: Awaited<ReturnType<typeof readStoryPage>>) =>
        read && JSON.parse(JSON.stringify({ ...read, page: { ...read.page, replies: [...read.page.replies], truncated: [...read.page.truncated] } }, (key, value) => (key === 'companion_json' ? undefined : value)));

      // No comments and no events yet, then a thread with a held reply and a second page.
      assert.deepEqual(comparable(await readStoryPage(db(), query)), comparable(await apart()));
      const root = comment(null, 'published');
      const event: NewThreadEvent = { story_id: story.id, site_id: site.id, comment_id: root.id, parent_id: null, author_id: author.id, type: 'comment.created', status: 'published', was_public: 0, payload_json: '{}', created_at: at };
      await insertCommentWithEvent(db(), root, [], event);
      await insertComment(db(), comment(root, 'published'));
      await insertComment(db(), comment(root, 'pending'));
      await insertComment(db(), comment(null, 'published'));
      const statements: string[] = [];
      const counted = await openStorage({ location: database.location, onQuery: (text) => statements.push(text) });
      try {
        statements.length = 0; // opening it migrated it
        const together = await readStoryPage(counted.db, query);
        assert.deepEqual(comparable(together), comparable(await apart()));
        assert.equal(together?.head.published_count, 3);
        assert.equal(together?.head.last_event_id, await latestThreadEventId(db()));
        assert.equal(together?.page.replies.get(root.id)?.length, 1, 'the held reply is not on the page');
        assert.ok(together?.page.nextCursor, 'a second page');
        if (dialect === 'postgres') assert.equal(statements.length, 1, 'one round trip');
        assert.equal(await readStoryPage(counted.db, { ...query, storyId: 'nosuchstory' }), undefined);
      } finally {
        await counted.close();
      }
    });

    it('writes a new comment, its deliveries and its event together, or none of them', async () => {
      const { newComment, eventOf, delivery } = await postingPlace('poster');

      // None, one and two deliveries (a statement of its own for each number on PostgreSQL), twice each (built, then reused).
      const written: NewComment[] = [];
      for (const count of [0, 1, 2, 0, 1, 2]) {
        const comment = newComment(newId(), written[0]);
        const rows = Array.from({ length: count }, (_, i) => delivery(`hook-${i}`));
        const before = await latestThreadEventId(db());
        const eventId = await insertCommentWithEvent(db(), comment, rows, eventOf(comment));
        assert.ok(eventId > before, 'a new event id, after those before it');
        assert.equal(await latestThreadEventId(db()), eventId);
        const [event] = await readThreadEventsAfter(db(), before, 10);
        assert.equal(event?.comment_id, comment.id);
        assert.equal(event?.payload_json, JSON.stringify({ id: comment.id }));
        const stored = await findComment(db(), comment.id);
        assert.equal(stored?.body_markdown, comment.body_markdown);
        assert.equal(stored?.parent_id, comment.parent_id);
        for (const row of rows) {
          const found = await findDelivery(db(), row.id);
          assert.equal(found?.status, 'pending');
          assert.equal(found?.attempts, 0);
          assert.equal(found?.target, row.target);
        }
        written.push(comment);
      }

      // A write that fails (a comment id taken already) writes none of it: no deliveries, no event.
      const again = { ...newComment(written[1]!.id), body_markdown: 'again' };
      const refused = [delivery('hook-refused')];
      const before = await latestThreadEventId(db());
      await assert.rejects(insertCommentWithEvent(db(), again, refused, eventOf(again)));
      assert.equal(await findDelivery(db(), refused[0]!.id), undefined);
      assert.deepEqual(await readThreadEventsAfter(db(), before, 10), []);
      assert.equal((await findComment(db(), again.id))?.body_markdown, written[1]!.body_markdown);
      // So does one whose parent does not exist.
      const orphan = newComment(newId(), { ...written[0]!, id: 'nosuchcomment' });
      const orphaned = [delivery('hook-orphan')];
      await assert.rejects(insertCommentWithEvent(db(), orphan, orphaned, eventOf(orphan)));
      assert.equal(await findComment(db(), orphan.id), undefined);
      assert.equal(await findDelivery(db(), orphaned[0]!.id), undefined);
      assert.deepEqual(await readThreadEventsAfter(db(), before, 10), []);
    });

    it('writes the new comments of one turn together, each with its deliveries and event; a failing one fails alone', async () => {
      const { newComment, eventOf, delivery } = await postingPlace('batch');
      const first = newComment(newId());
      await insertCommentWithEvent(db(), first, [], eventOf(first));
      const written = async (comment: NewComment, rows: readonly NewOutboxRow[]) => {
        assert.equal((await findComment(db(), comment.id))?.body_markdown, comment.body_markdown);
        for (const row of rows) assert.equal((await findDelivery(db(), row.id))?.status, 'pending');
      };

      // Posted in one turn (not one after another): none, one and two deliveries, a reply among them.
      const batch = [newComment(newId()), newComment(newId(), first), newComment(newId()), newComment(newId(), first)];
      const rows = batch.map((comment, i) => Array.from({ length: i % 3 }, (_, j) => delivery(`batch-${i}-${j}`)));
      const before = await latestThreadEventId(db());
      const ids = await Promise.all(batch.map((comment, i) => insertCommentWithEvent(db(), comment, rows[i]!, eventOf(comment))));
      // Each its own event, in the order they were posted.
      const events = await readThreadEventsAfter(db(), before, 10);
      assert.deepEqual(events.map((event) => [event.id, event.comment_id]), batch.map((comment, i) => [ids[i], comment.id]));
      for (const [i, comment] of batch.entries()) await written(comment, rows[i]!);
      if (dialect === 'postgres') {
        // One statement: the comments and their events committed in one transaction.
        const { rows: transactions } = await sql<{ xmin: string }>`SELECT DISTINCT xmin::text FROM thread_events WHERE id > ${before}`.execute(db());
        assert.equal(transactions.length, 1);
      }

      // A turn in which one comment's id is taken already and another's parent does not exist: those two fail, the
      // others are written, and nothing of the failing ones is.
      const good = [newComment(newId()), newComment(newId(), first), newComment(newId())];
      const taken = { ...newComment(first.id), body_markdown: 'taken' };
      const orphan = newComment(newId(), { ...first, id: 'nosuchcomment' });
      const turn = [good[0]!, taken, good[1]!, orphan, good[2]!];
      const turnRows = turn.map((comment) => [delivery(`turn-${comment.id}`)]);
      const beforeTurn = await latestThreadEventId(db());
      const outcomes = await Promise.allSettled(turn.map((comment, i) => insertCommentWithEvent(db(), comment, turnRows[i]!, eventOf(comment))));
      assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      const turnEvents = await readThreadEventsAfter(db(), beforeTurn, 10);
      assert.deepEqual(turnEvents.map((event) => event.comment_id), good.map((comment) => comment.id));
      assert.deepEqual(turnEvents.map((event) => event.id), [0, 2, 4].map((i) => (outcomes[i] as PromiseFulfilledResult<number>).value));
      for (const i of [0, 2, 4]) await written(turn[i]!, turnRows[i]!);
      assert.equal((await findComment(db(), first.id))?.body_markdown, first.body_markdown);
      assert.equal(await findComment(db(), orphan.id), undefined);
      for (const i of [1, 3]) assert.equal(await findDelivery(db(), turnRows[i]![0]!.id), undefined);
    });
  });
}
