// Mixed load on SQLite and PostgreSQL: 50 connections (autocannon) reading the thread, reading a comment's
// permalink, posting and voting, while event-stream readers follow the story. Zero errors, zero timeouts, every
// answer 2xx, and every reader gets every new comment. PARLEY_RELIABILITY_SECONDS sets the duration (default 15;
// 60 for the long run).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { onEachDatabase } from '../helpers/suite.js';
import { SseClient } from '../helpers/sse.js';

const SECONDS = Number(process.env.PARLEY_RELIABILITY_SECONDS ?? 15);
const CONNECTIONS = 50;
const READERS = 10;
const WRITERS = 20;

onEachDatabase('mixed load', (t) => {
  describe('50 connections', () => {
    it(`answers reads, posts, votes and event streams for ${SECONDS} s with zero errors`, async () => {
      const app = t();
      const storyId = await app.story();
      const author = await app.agent();
      const seeded: string[] = [];
      for (let i = 0; i < 30; i++) seeded.push((await app.comment(author, storyId, `Seed comment ${i}`)).id);
      const tokens: string[] = [];
      for (let i = 0; i < WRITERS; i++) tokens.push(await app.token(await app.agent()));
      await app.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.app.server.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      const readers = await Promise.all(Array.from({ length: READERS }, () => SseClient.open(`${base}/api/events?stories=${storyId}`)));
      try {
        const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
        const bearer = () => ({ authorization: `Bearer ${pick(tokens)}`, 'content-type': 'application/json' });
        let posted = 0;
        let sequence = 0;
        const result = await autocannon({
          url: base,
          connections: CONNECTIONS,
          duration: SECONDS,
          // A guard for a shared, busy test machine; what counts is that every request is answered.
          timeout: 60,
          requests: [
            { method: 'GET', path: `/api/stories/${storyId}/comments?limit=20` },
            {
              method: 'POST',
              path: `/api/stories/${storyId}/comments`,
              setupRequest: (request) => ({ ...request, headers: bearer(), body: JSON.stringify({ body: `Under load, comment ${++sequence}` }) }),
              onResponse: (status) => {
                if (status === 201) posted++;
              },
            },
            { method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/comments/${pick(seeded)}` }) },
            {
              method: 'POST',
              setupRequest: (request) => ({
                ...request,
                path: `/api/comments/${pick(seeded)}/vote`,
                headers: bearer(),
                body: JSON.stringify({ value: pick([1, -1, 0]) }),
              }),
            },
            { method: 'GET', path: `/api/stories/${storyId}/comments?limit=20&sort=top` },
          ],
        });
        const statuses = Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => `${status}×${count}`).join(' ');
        console.log(
          `mixed load [${app.context.storage.dialect}]: ${result.requests.total} requests in ${SECONDS} s (${Math.round(result.requests.average)}/s), ` +
            `p99 ${result.latency.p99} ms, ${posted} posted, ${READERS} streams; ${statuses}; errors ${result.errors}, timeouts ${result.timeouts}`,
        );
        assert.equal(result.errors, 0, 'connection errors');
        assert.equal(result.timeouts, 0, 'timeouts');
        assert.equal(result.non2xx, 0, `answers other than 2xx: ${statuses}`);
        assert.ok(posted > 0);
        // Posts still in flight when the load stops are committed with nobody counting their answer: what the
        // database holds is what every reader must get.
        const stored = async () =>
          Number(
            (
              await app.context.storage.db
                .selectFrom('comments')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('story_id', '=', storyId)
                .where('body_markdown', 'like', 'Under load, comment %')
                .where('status', '=', 'published')
                .executeTakeFirstOrThrow()
            ).n,
          );
        // Every stream reader gets every comment posted, once.
        for (const reader of readers) {
          const deadline = Date.now() + 15_000;
          const created = () => reader.data.filter((e) => e.type === 'comment.created');
          while (created().length < (await stored()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
          const total = await stored();
          assert.ok(total >= posted, 'an acknowledged comment is not in the database');
          assert.equal(created().length, total, 'a stream reader missed comments');
          assert.equal(new Set(created().map((e) => e.commentId)).size, total, 'a stream reader got one twice');
        }
      } finally {
        for (const reader of readers) reader.close();
      }
    });
  });
});
