import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync } from 'node:fs';
import { keywordScorer } from '../helpers/scorers.js';
import { startLiveServer, type LiveServer } from '../helpers/browser.js';
import type { Agent } from '../helpers/app.js';

const scorer = keywordScorer;

let server: LiveServer;
before(async () => {
  server = await startLiveServer('postgres', { scorer, config: (c) => ({ ...c, eventPollMs: 100 }) });
});
after(async () => {
  await server?.t.close();
});

/** Reads server-sent events until `until` accepts one, or fails after a few seconds. */
function readEvents(agent: Agent, until: (data: { pending: number; reported: number }, index: number) => boolean, onOpen?: () => void) {
  return new Promise<Array<{ pending: number; reported: number }>>((resolve, reject) => {
    const seen: Array<{ pending: number; reported: number }> = [];
    const req = http.get(`${server.baseUrl}/api/moderation/events`, { headers: { cookie: agent.cookie } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      assert.match(res.headers['content-type'] ?? '', /text\/event-stream/);
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: counts\ndata: (.*)$/m.exec(block)?.[1];
          if (!data) continue;
          seen.push(JSON.parse(data));
          if (seen.length === 1) onOpen?.();
          if (until(seen[seen.length - 1]!, seen.length - 1)) {
            req.destroy();
            resolve(seen);
          }
        }
      });
    });
    req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
    setTimeout(() => {
      req.destroy();
      reject(new Error(`no matching event; saw ${JSON.stringify(seen)}`));
    }, 8000);
  });
}

it('streams the pending count as doubtful comments arrive', async () => {
  const { t } = server;
  const moderator = await t.agent('moderator');
  const author = await t.agent();
  const storyId = await t.story();
  let start = -1;
  const seen = await readEvents(
    moderator,
    (counts, index) => {
      if (index === 0) start = counts.pending;
      return index > 0 && counts.pending === start + 1;
    },
    () => {
      void t.comment(author, storyId, 'THREATWORD posted while the console watches');
    },
  );
  assert.equal(seen[seen.length - 1]!.pending, seen[0]!.pending + 1);
});

it('refuses the event stream to commenters', async () => {
  const reader = await server.t.agent();
  await assert.rejects(readEvents(reader, () => true), /status 403/);
});

it('reports comments a day, hold and reject rates and flags per label', async () => {
  const { t } = server;
  const moderator = await t.agent('moderator');
  const author = await t.agent();
  const storyId = await t.story();
  const before = (await t.request('GET', '/api/moderation/stats?days=7', { as: moderator })).json();
  await t.comment(author, storyId, 'fine');
  await t.comment(author, storyId, 'THREATWORD one');
  await t.comment(author, storyId, 'REJECTWORD two');
  const held = await t.comment(author, storyId, 'THREATWORD three');
  // A moderator's later approval does not change what the policy decided.
  await t.request('POST', `/api/moderation/comments/${held.id}/approve`, { as: moderator, body: {} });
  const res = await t.request('GET', '/api/moderation/stats?days=7', { as: moderator });
  assert.equal(res.statusCode, 200, res.body);
  const stats = res.json();
  assert.equal(stats.siteId, null, 'a moderator of every site sees figures for every site');
  assert.equal(stats.days.length, 7);
  assert.equal(stats.days[6].date, new Date().toISOString().slice(0, 10));
  const today = stats.days[6];
  const earlier = before.days[6];
  assert.equal(today.total - earlier.total, 4);
  assert.equal(today.pending - earlier.pending, 2);
  assert.equal(today.rejected - earlier.rejected, 1);
  assert.equal(stats.labels.threat - before.labels.threat, 2);
  assert.equal(stats.labels.toxic - before.labels.toxic, 1);
  const total = stats.days.reduce((n: number, d: { total: number }) => n + d.total, 0);
  const pending = stats.days.reduce((n: number, d: { pending: number }) => n + d.pending, 0);
  assert.equal(stats.holdRate, pending / total);
  assert.equal((await t.request('GET', '/api/moderation/stats', { as: author })).statusCode, 403);
});

it('serves the console to staff only', async () => {
  const { t } = server;
  const anonymous = await t.request('GET', '/admin');
  assert.equal(anonymous.statusCode, 303);
  assert.equal(anonymous.headers.location, '/login?next=%2Fadmin');
  assert.equal((await t.request('GET', '/admin', { as: await t.agent() })).statusCode, 403);
  const staff = await t.request('GET', '/admin/queue', { as: await t.agent('moderator') });
  if (existsSync('web/dist/admin/index.html')) {
    assert.equal(staff.statusCode, 200);
    assert.match(staff.body, /<script type="module"[^>]*src="\/admin\/assets\//);
  } else {
    assert.equal(staff.statusCode, 503);
    assert.match(staff.body, /npm run build/);
  }
});
