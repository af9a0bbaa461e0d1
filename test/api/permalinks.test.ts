// GET /comments/:id opens a comment wherever it is, for every status and viewer: the page of the thread that starts
// with a top-level comment, the branch page of a reply, the comment on its own for staff; 404 for anyone else.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import type { Agent, TestApp } from '../helpers/app.js';
import { keywordScorer } from '../helpers/scorers.js';
import { updateUser } from '../../src/storage/users.js';
import { insertSite } from '../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';

const scorer = keywordScorer;

/** Follows the permalink as this viewer: the status, and the page it lands on (with the anchor it names). */
async function open(t: TestApp, id: string, as: Agent | null) {
  const res = await t.request('GET', `/comments/${id}`, { as });
  if (res.statusCode !== 303) return { status: res.statusCode, location: null, page: res.body };
  const location = String(res.headers.location);
  assert.ok(location.endsWith(`#c-${id}`), location);
  const page = await t.request('GET', location.replace(/#.*$/, ''), { as });
  assert.equal(page.statusCode, 200, location);
  return { status: 303, location, page: page.body };
}

const shows = (page: string, id: string) => page.includes(`id="c-${id}"`);

onEachDatabase(
  'permalinks',
  (t) => {
    it('opens a top-level comment on the page of the thread that holds it, past the first page too', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const ids: string[] = [];
      for (let n = 0; n < 45; n++) ids.push((await t().comment(author, storyId, `Comment number ${n}`)).id);
      for (const id of [ids[0]!, ids[21]!, ids[44]!]) {
        for (const viewer of [null, author, await t().agent()]) {
          const landed = await open(t(), id, viewer);
          assert.equal(landed.status, 303);
          assert.match(landed.location!, new RegExp(`^/stories/${storyId}\\?sort=oldest&cursor=`));
          assert.ok(shows(landed.page, id), `comment ${id} is on the page`);
        }
      }
      // The first story page does not hold the last comment: the permalink is what lands.
      assert.ok(!shows((await t().request('GET', `/stories/${storyId}`)).body, ids[44]!));
    });

    it('opens a reply on its branch page with its ancestors, and a reply deep in a long branch on a page that starts with it', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const root = await t().comment(author, storyId, 'The root');
      const child = await t().comment(author, storyId, 'A child', root.id);
      const grandchild = await t().comment(author, storyId, 'A grandchild', child.id);
      const landed = await open(t(), grandchild.id, null);
      assert.equal(landed.location, `/stories/${storyId}/comments/${root.id}#c-${grandchild.id}`);
      for (const id of [root.id, child.id, grandchild.id]) assert.ok(shows(landed.page, id));

      let last = child.id;
      for (let n = 0; n < 201; n++) last = (await t().comment(author, storyId, `Reply ${n}`, root.id)).id;
      const deep = await open(t(), last, null);
      assert.match(deep.location!, new RegExp(`^/stories/${storyId}/comments/${root.id}\\?after=`));
      assert.ok(shows(deep.page, last));
      assert.ok(shows(deep.page, root.id), 'the top-level comment heads the branch page');
    });

    it('opens held and rejected comments for their author and staff, and is 404 for everyone else', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const reader = await t().agent();
      const moderator = await t().agent('moderator');
      const otherSite = await insertSite(t().db, 'Another site', JSON.stringify(DEFAULT_POLICY));
      const foreignModerator = await t().agent('moderator');
      await updateUser(t().db, foreignModerator.userId, { site_id: otherSite.id });
      const held = await t().comment(author, storyId, 'THREATWORD held');
      const rejected = await t().comment(author, storyId, 'REJECTWORD rejected');
      assert.deepEqual([held.status, rejected.status], ['pending', 'rejected']);
      const rejectedByModerator = await t().comment(author, storyId, 'Rejected later');
      await t().request('POST', `/api/moderation/comments/${rejectedByModerator.id}/reject`, { as: moderator, body: { reason: 'Off topic' } });

      for (const id of [held.id, rejected.id, rejectedByModerator.id]) {
        for (const viewer of [null, reader, foreignModerator]) assert.equal((await open(t(), id, viewer)).status, 404, `${id} for ${viewer?.username ?? 'anonymous'}`);
        const own = await open(t(), id, author);
        assert.equal(own.status, 303);
        assert.ok(shows(own.page, id), 'the author sees it on the thread page');
        const staff = await open(t(), id, moderator);
        assert.equal(staff.status, 200, 'staff see it on its own');
        assert.ok(shows(staff.page, id));
      }
      assert.equal((await open(t(), 'nosuchcomment', null)).status, 404);
    });
  },
  { scorer },
);
