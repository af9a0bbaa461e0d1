// What the server sends is what the contracts describe: real responses, checked against the schemas in
// src/contracts/schemas.ts (the same ones the console's types come from), on both databases.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from 'typebox';
import { onEachDatabase } from '../helpers/suite.js';
import * as S from '../../src/contracts/schemas.js';

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
for (const model of S.SHARED_MODELS) ajv.addSchema(model);
const validators = new Map<TSchema, ValidateFunction>();

function assertFits(schema: TSchema, body: unknown, what: string) {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = ajv.compile(schema)));
  assert.ok(validate(body), `${what}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
}

onEachDatabase(
  'responses fit their contracts',
  (t) => {
    it('accounts, stories, comments and the dry run', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      assertFits(S.SessionResponse, (await t().request('GET', '/api/me', { as: author })).json(), 'GET /api/me');
      assertFits(S.StoryModel, (await t().request('GET', `/api/stories/${storyId}`)).json(), 'GET /api/stories/:id');
      const posted = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'A first comment' } });
      assertFits(S.PostResult, posted.json(), 'POST comment');
      const reply = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'A reply', parentId: posted.json().id } });
      assertFits(S.PostResult, reply.json(), 'POST reply');
      assertFits(S.ThreadPage, (await t().request('GET', `/api/stories/${storyId}/comments`, { as: author })).json(), 'GET thread');
      assertFits(S.RepliesPage, (await t().request('GET', `/api/comments/${posted.json().id}/replies`, { as: author })).json(), 'GET replies');
      assertFits(S.CheckResult, (await t().request('POST', '/api/moderation/check', { as: author, body: { text: 'Is this fine?', storyId } })).json(), 'check');
    });

    it('the moderator console: queue, counts, decisions, people, stats, audit, sites and policy', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const reader = await t().agent();
      const admin = await t().agent('admin');
      const held = await t().comment(author, storyId, 'Held for a moderator, with a link https://example.org');
      const other = await t().comment(author, storyId, 'Another held one');
      assertFits(S.QueuePage, (await t().request('GET', '/api/moderation/queue', { as: admin })).json(), 'queue');
      assertFits(S.Counts, (await t().request('GET', '/api/moderation/counts', { as: admin })).json(), 'counts');
      const approved = await t().request('POST', `/api/moderation/comments/${held.id}/approve`, { as: admin, body: {} });
      assertFits(S.ActionResult, approved.json(), 'approve');
      const reported = await t().request('POST', `/api/comments/${held.id}/reports`, { as: reader, body: { reason: 'spam' } });
      assertFits(S.ReportResult, reported.json(), 'report');
      assertFits(S.QueuePage, (await t().request('GET', '/api/moderation/queue?queue=all', { as: admin })).json(), 'queue with reports');
      const bulk = await t().request('POST', '/api/moderation/comments/bulk', { as: admin, body: { action: 'reject', ids: [other.id, 'nosuchcomment'], reason: 'Off topic' } });
      assertFits(S.BulkResult, bulk.json(), 'bulk');
      assertFits(S.UserActionResult, (await t().request('POST', `/api/moderation/users/${reader.userId}/suspend`, { as: admin, body: { until: '2099-01-01T00:00:00Z', reason: 'Cool off' } })).json(), 'suspend');
      assertFits(S.UserActionResult, (await t().request('POST', `/api/moderation/users/${reader.userId}/unban`, { as: admin, body: {} })).json(), 'unban');
      assertFits(S.RoleResult, (await t().request('PUT', `/api/users/${reader.userId}/role`, { as: admin, body: { role: 'moderator', siteId: t().siteId } })).json(), 'role');
      assertFits(S.Stats, (await t().request('GET', '/api/moderation/stats', { as: admin })).json(), 'stats');
      assertFits(S.AuditPage, (await t().request('GET', '/api/moderation/audit', { as: admin })).json(), 'audit');
      assertFits(S.SiteList, (await t().request('GET', '/api/sites', { as: admin })).json(), 'sites');
      assertFits(S.ClassifierInfo, (await t().request('GET', '/api/moderation/classifier', { as: admin })).json(), 'classifier');
      const policy = (await t().request('GET', `/api/sites/${t().siteId}/policy`, { as: admin })).json();
      assertFits(S.SitePolicy, policy, 'policy');
      assertFits(S.SitePolicy, (await t().request('PUT', `/api/sites/${t().siteId}/policy`, { as: admin, body: policy })).json(), 'put policy');
      assertFits(S.ErrorModel, (await t().request('GET', '/api/moderation/queue', { as: author })).json(), 'an error');
    });
  },
  { policy: { preModeration: 'all' } },
);
