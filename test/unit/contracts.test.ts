// One description per API shape: the types the server and the console share are derived from the schemas the
// server validates and serializes with. Where a type is still written by hand beside a schema (the engine's
// types, which the engine owns), the compiler checks here that the two say the same; and every API route
// declares its responses.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Static } from 'typebox';
import * as S from '../../src/contracts/schemas.js';
import type { Comment, LabelScores, Span } from '../../src/contracts/api.js';
import type { Label } from '../../src/engine/labels.js';
import type { ScoreResult } from '../../src/engine/labels.js';
import type { CommentView } from '../../src/core/comments.js';
import type { StoryView } from '../../src/core/stories.js';
import { DEFAULT_POLICY, type SitePolicy } from '../../src/moderation/policy.js';
import { buildApp } from '../../src/server/app.js';
import { createContext } from '../../src/server/context.js';
import { openStorage } from '../../src/storage/db.js';
import { configFromEnv } from '../../src/config.js';

/** True when A and B are the same type (each assignable to the other, exactly). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <T extends true>(): T => true as T;

it('keeps hand-written types and their schemas the same (checked by the compiler)', () => {
  // The engine's span and score types, which the engine owns, against the API's schemas for them.
  same<Equal<Static<typeof S.Span>, Span>>();
  same<Equal<Static<typeof S.Scores>, LabelScores | null>>();
  same<Equal<Static<typeof S.CheckResult>['spans'], ScoreResult['spans']>>();
  same<Equal<Static<typeof S.LabelPolicy>, { hold: number; reject: number }>>();
  same<Equal<keyof Static<typeof S.SitePolicy>['thresholds'], Label>>();
  // The core's views are the API's models (CommentView adds only replyTo, which the API leaves out).
  same<Equal<Omit<CommentView, 'replies' | 'replyTo'>, Omit<Comment, 'replies'>>>();
  same<Equal<StoryView, Static<typeof S.StoryModel>>>();
  const policy: SitePolicy = DEFAULT_POLICY;
  assert.ok(policy);
});

it('gives every shared model an $id and every schema a JSON form', () => {
  for (const model of S.SHARED_MODELS) assert.equal(typeof (model as { $id?: unknown }).$id, 'string');
  for (const [name, schema] of Object.entries(S)) {
    if (typeof schema === 'object' && schema !== null) assert.doesNotThrow(() => JSON.stringify(schema), name);
  }
});

it('declares a success response and its errors for every API route', async () => {
  const storage = await openStorage({ location: ':memory:' });
  const app = await buildApp(createContext(storage, configFromEnv({}), null), { logger: false });
  try {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/') || path.startsWith('/api/docs')) continue;
      for (const [method, operation] of Object.entries(methods)) {
        const statuses = Object.keys(operation.responses ?? {});
        if (!statuses.some((s) => s.startsWith('2'))) missing.push(`${method.toUpperCase()} ${path}: no success response`);
      }
    }
    assert.deepEqual(missing, []);
  } finally {
    await app.close();
    await storage.close();
  }
});
