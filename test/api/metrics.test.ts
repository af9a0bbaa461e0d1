// /metrics: Prometheus text with requests, statements, classifier time, decisions and queue sizes; only
// on this machine, or with the metrics token. Every answer carries its request id.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import { LABELS, type LabelScores } from '../../src/moderation/labels.js';
import type { Scorer } from '../../src/moderation/types.js';

// Holds anything that says HOLDME as an insult.
const scorer: Scorer = {
  thresholds: Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.95 }])) as Scorer['thresholds'],
  score: (text) => ({ scores: Object.fromEntries(LABELS.map((l) => [l, l === 'insult' && text.includes('HOLDME') ? 0.7 : 0.01])) as LabelScores, spans: [] }),
};

const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"+.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

onEachDatabase(
  'metrics',
  (t) => {
    it('counts requests by route and status, classifier time, decisions, flagged labels and the queues', async () => {
      const storyId = await t().story();
      const reader = await t().agent();
      await t().comment(reader, storyId, 'A civil remark');
      await t().comment(reader, storyId, 'HOLDME you fool');
      await t().request('GET', `/api/stories/${storyId}/comments`);
      const res = await t().request('GET', '/metrics');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /text\/plain/);
      const text = res.body;
      assert.ok(value(text, `parley_http_request_duration_seconds_count{method="GET",route="/api/stories/:id/comments",status="200"}`) >= 1);
      assert.ok(value(text, `parley_http_request_duration_seconds_count{method="POST",route="/api/stories/:id/comments",status="201"}`) >= 2);
      assert.ok(value(text, 'parley_classifier_duration_seconds_count') >= 2);
      assert.ok(value(text, `parley_moderation_decisions_total{status="pending"}`) >= 1);
      assert.ok(value(text, `parley_moderation_flagged_total{label="insult"}`) >= 1);
      assert.ok(value(text, `parley_queue_comments{queue="pending"}`) >= 1);
      assert.match(text, /^parley_process_resident_memory_bytes /m);
    });

    it('answers only on this machine without a token, and carries request ids', async () => {
      const elsewhere = await t().app.inject({ url: '/metrics', remoteAddress: '192.0.2.7' });
      assert.equal(elsewhere.statusCode, 403);
      assert.equal(elsewhere.json().error.code, 'forbidden');
      const res = await t().request('GET', '/livez');
      assert.match(res.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
      const named = await t().request('GET', '/livez', { headers: { 'x-request-id': 'edge-42.abc' } });
      assert.equal(named.headers['x-request-id'], 'edge-42.abc');
      const odd = await t().request('GET', '/livez', { headers: { 'x-request-id': 'no spaces <allowed>' } });
      assert.notEqual(odd.headers['x-request-id'], 'no spaces <allowed>');
    });
  },
  { scorer },
);

onEachDatabase(
  'metrics with a token',
  (t) => {
    it('asks for the token, from anywhere', async () => {
      assert.equal((await t().app.inject({ url: '/metrics' })).statusCode, 401);
      assert.equal((await t().app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
      const ok = await t().app.inject({ url: '/metrics', remoteAddress: '192.0.2.7', headers: { authorization: 'Bearer s3cret-metrics' } });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /parley_http_request_duration_seconds/);
    });
  },
  { config: (c) => ({ ...c, metricsToken: 's3cret-metrics' }) },
);

it('times every database statement by kind when the storage reports to the metrics', async () => {
  const { Metrics } = await import('../../src/server/metrics.js');
  const { openStorage, ping } = await import('../../src/storage/db.js');
  const metrics = new Metrics();
  const storage = await openStorage({ location: ':memory:', onQuery: metrics.observeQuery });
  try {
    await ping(storage.db);
    await storage.db.selectFrom('sites').selectAll().execute();
    const text = await metrics.registry.metrics();
    assert.ok(value(text, `parley_database_query_duration_seconds_count{kind="select"}`) >= 2);
  } finally {
    await storage.close();
  }
});
