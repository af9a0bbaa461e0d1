import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import type { TestApp } from '../helpers/app.js';

interface Page {
  comments: Array<{ id: string; score: number; createdAt: string; replies: unknown[]; moreReplies?: boolean }>;
  nextCursor: string | null;
}

async function readAll(t: TestApp, storyId: string, sort: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = `sort=${sort}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.request('GET', `/api/stories/${storyId}/comments?${query}`);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as Page;
    pages.push(page.comments.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

onEachDatabase('thread paging', (t) => {
  it('pages through every top-level comment once, in each sort order', async () => {
    const storyId = await t().story();
    const authors = await Promise.all([t().agent(), t().agent(), t().agent()]);
    const voters = await Promise.all([t().agent(), t().agent()]);
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await t().comment(authors[i % 3]!, storyId, `Comment number ${i}`)).id);
    // Give a few comments distinct scores, and leave ties for the rest.
    for (const [index, votes] of [[5, 2], [17, 1], [9, -1]] as const) {
      for (let v = 0; v < Math.abs(votes); v++) {
        await t().request('POST', `/api/comments/${ids[index]}/vote`, { as: voters[v]!, body: { value: Math.sign(votes) } });
      }
    }
    const oldest = await readAll(t(), storyId, 'oldest', 5);
    assert.deepEqual(oldest.map((p) => p.length), [5, 5, 5, 5, 3]);
    assert.deepEqual(oldest.flat(), ids);
    const newest = await readAll(t(), storyId, 'newest', 7);
    assert.deepEqual(newest.flat(), [...ids].reverse());
    const top = (await readAll(t(), storyId, 'top', 4)).flat();
    assert.equal(new Set(top).size, 23);
    assert.deepEqual(top.slice(0, 2), [ids[5], ids[17]]);
    assert.equal(top[22], ids[9]);
  });

  it('bounds the replies under each top-level comment and serves the rest on request', async () => {
    const storyId = await t().story();
    const a = await t().agent();
    const b = await t().agent();
    const root = await t().comment(a, storyId, 'Root');
    const replyIds: string[] = [];
    let parent = root.id;
    for (let i = 0; i < 55; i++) {
      const reply = await t().comment(i % 2 ? a : b, storyId, `Reply ${i}`, i % 5 === 0 ? root.id : parent);
      replyIds.push(reply.id);
      parent = reply.id;
    }
    const page = (await t().request('GET', `/api/stories/${storyId}/comments`)).json() as Page;
    const shown: string[] = [];
    const walk = (c: { id: string; replies: unknown[] }) => {
      for (const r of c.replies as Array<{ id: string; replies: unknown[] }>) {
        shown.push(r.id);
        walk(r);
      }
    };
    walk(page.comments[0]!);
    assert.equal(shown.length, 50);
    assert.equal(page.comments[0]!.moreReplies, true);
    const more = (await t().request('GET', `/api/comments/${root.id}/replies?limit=50`)).json();
    assert.deepEqual(more.replies.map((r: { id: string }) => r.id), replyIds.slice(0, 50));
    const rest = (await t().request('GET', `/api/comments/${root.id}/replies?limit=50&cursor=${encodeURIComponent(more.nextCursor)}`)).json();
    assert.deepEqual(rest.replies.map((r: { id: string }) => r.id), replyIds.slice(50));
    assert.equal(rest.nextCursor, null);

    // Without JavaScript: the story page links to a page of the whole branch.
    const storyPage = (await t().request('GET', `/stories/${storyId}`)).body;
    assert.match(storyPage, new RegExp(`<a href="/stories/${storyId}/comments/${root.id}">More replies</a>`));
    const branchPage = await t().request('GET', `/stories/${storyId}/comments/${root.id}`);
    assert.equal(branchPage.statusCode, 200);
    for (const id of replyIds) assert.match(branchPage.body, new RegExp(`id="c-${id}"`));
    assert.equal((await t().request('GET', `/stories/nosuchstory1/comments/${root.id}`)).statusCode, 404);

    // Paged by the service, a reply whose parent was on an earlier page still says whom it answers.
    const first = await t().context.comments.branch(root.id, null, null, 7);
    const second = await t().context.comments.branch(root.id, null, first.nextCursor, 7);
    const orphan = second.root.replies.find((r) => r.replyTo);
    assert.ok(orphan, 'the second page starts with replies whose parents were on the first');
    assert.equal(orphan.replyTo!.id, orphan.parentId);
    assert.ok(orphan.replyTo!.author === a.username || orphan.replyTo!.author === b.username);
  });

  it('rejects a forged cursor and bad paging parameters with 400', async () => {
    const storyId = await t().story();
    for (const query of ['cursor=%%%', 'cursor=bm9wZQ', 'limit=0', 'limit=1000', 'limit=abc', 'sort=random']) {
      const res = await t().request('GET', `/api/stories/${storyId}/comments?${query}`);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      assert.ok(res.json().error.message);
    }
    const unknown = await t().request('GET', '/api/stories/nosuchstory1/comments');
    assert.equal(unknown.statusCode, 404);
  });
});
