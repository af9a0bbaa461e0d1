// A fuzz test generated from the OpenAPI document: for every operation, requests with valid and broken
// bodies, path parameters, query strings and cursors (NUL and other edge characters, wrong types, sizes past
// every limit, other content types), by anonymous, cookie and bearer callers. Any 5xx, or any error that is
// not {"error": {"code", "message"}}, fails it. Seeded, so a failure repeats; bounded in count and time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { answeredWithin } from '../helpers/time.js';
import { mulberry32 } from '../../src/engine/training/random.js';
import { createApiToken, createSession } from '../../src/storage/sessions.js';
import { insertUser } from '../../src/storage/users.js';

/** Routes that stream (and never end by themselves): fuzzed with HEAD. */
const STREAMS = new Set(['/api/moderation/events', '/api/events']);
const SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 20261130);
const REQUESTS_PER_OPERATION = Number(process.env.PARLEY_FUZZ_REQUESTS ?? 80);
/** The whole run stops after this long, whatever is left: the test stays bounded on a slow machine. */
const TIME_BUDGET_MS = Number(process.env.PARLEY_FUZZ_SECONDS ?? 60) * 1000;
/** The fewest requests a run must send on each database (`npm run test:reliability` asks for 5,000 each). */
const MIN_REQUESTS = Number(process.env.PARLEY_FUZZ_MIN_REQUESTS ?? 0);

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  maxItems?: number;
  format?: string;
  nullable?: boolean;
}

interface Operation {
  method: string;
  path: string;
  parameters: Array<{ in: 'path' | 'query'; name: string; schema: Schema }>;
  body: Schema | null;
}

const ID_PATTERN = '^[0-9a-z]{1,32}$';

/** Strings that have broken servers before: NUL, lone surrogates, direction overrides, markup, SQL, huge numbers. */
const EDGE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u202d',
  '\u200b\u200c\u200d\ufeff',
  '\u2028\u2029',
  '😀👩‍👩‍👧‍👦',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '%00%ZZ',
  '../../etc/passwd',
  '1e308',
  '-0',
  ' ',
  '',
  'ﷺ'.repeat(50),
];
const EDGE_NUMBERS: unknown[] = [-1, 0, 0.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 31, -(2 ** 31) - 1, '12', true, null, [], {}];
const EDGE_PATH_SEGMENTS = ['%00', '%ZZ', 'a'.repeat(40), 'A', '..%2F..', '%F0%9F%98%80', '-1', '1e308', 'null', '%20', 'x'.repeat(150)];

function documentedOperations(doc: { paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content?: Record<string, { schema: Schema }> } }>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'),
      body: op.requestBody?.content?.['application/json']?.schema ?? null,
    })),
  );
}

class Generator {
  readonly random: () => number;
  constructor(
    seed: number,
    private readonly ids: () => string[],
    private readonly cursors: () => string[],
  ) {
    this.random = mulberry32(seed);
  }

  chance(p: number) {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  int(min: number, max: number) {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  text(min: number, max: number) {
    const length = this.int(min, Math.max(min, Math.min(max, 60)));
    const words = ['the', 'mayor', 'bridge', 'budget', 'you', 'idiot', 'great', 'point', '**bold**', 'https://example.com', '\n', 'é', '😀'];
    let out = '';
    while (out.length < length) out += `${this.pick(words)} `;
    return out.slice(0, length).padEnd(min, 'x');
  }

  /** A value the schema accepts (as far as the document tells). */
  valid(schema: Schema, name = ''): unknown {
    if (schema.anyOf) return this.valid(this.pick(schema.anyOf), name);
    if (schema.enum) return this.pick(schema.enum);
    const type = Array.isArray(schema.type) ? this.pick(schema.type.filter((t) => t !== 'null')) : schema.type;
    switch (type) {
      case 'string':
        if (schema.pattern === ID_PATTERN) return this.id();
        if (schema.format === 'date-time' || /until|At$/.test(name)) return new Date(Date.now() + this.int(-1e9, 1e10)).toISOString();
        if (/url$/i.test(name)) return `https://news.example.com/${this.int(0, 1e9)}`;
        if (name === 'username') return `fz${this.int(0, 1e9).toString(36)}`;
        if (name === 'email') return `fz${this.int(0, 1e9).toString(36)}@example.com`;
        if (name === 'cursor') return this.cursor();
        return this.text(schema.minLength ?? 0, schema.maxLength ?? 200);
      case 'integer':
        return this.int(schema.minimum ?? 0, Math.min(schema.maximum ?? 100, 1000));
      case 'number':
        return (schema.minimum ?? 0) + this.random() * ((schema.maximum ?? 1) - (schema.minimum ?? 0));
      case 'boolean':
        return this.chance(0.5);
      case 'array':
        return Array.from({ length: this.int(0, Math.min(3, schema.maxItems ?? 3)) }, () => this.valid(schema.items ?? { type: 'string' }, name));
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [key, inner] of Object.entries(schema.properties ?? {})) {
          if (schema.required?.includes(key) || this.chance(0.5)) out[key] = this.valid(inner, key);
        }
        return out;
      }
      default:
        return null;
    }
  }

  /** A value built to break the schema, or the code behind it. */
  invalid(schema: Schema, name = ''): unknown {
    const roll = this.random();
    if (roll < 0.3) return this.pick(EDGE_STRINGS);
    if (roll < 0.45) return this.pick(EDGE_NUMBERS);
    if (roll < 0.5 && schema.maxLength !== undefined) return 'x'.repeat(schema.maxLength + 1);
    if (roll < 0.55) return 'y'.repeat(this.pick([1000, 70_000, 300_000]));
    if (roll < 0.6) return null;
    if (roll < 0.65 && name === 'cursor') return this.cursor();
    if (schema.type === 'object' || schema.properties) {
      const value = (this.valid(schema) ?? {}) as Record<string, unknown>;
      const keys = Object.keys(schema.properties ?? {});
      if (keys.length && this.chance(0.7)) {
        const key = this.pick(keys);
        value[key] = this.invalid(schema.properties![key]!, key);
      } else if (this.chance(0.5)) {
        value[`extra_${this.int(0, 9)}`] = 1;
      } else if (schema.required?.length) {
        delete value[this.pick(schema.required)];
      }
      return value;
    }
    return this.pick([{ nested: { deeper: [1, 2] } }, [this.pick(EDGE_STRINGS)], 'z'.repeat(5000)]);
  }

  id() {
    const known = this.ids();
    return known.length && this.chance(0.8) ? this.pick(known) : this.int(0, 2 ** 30).toString(36);
  }

  /** Cursors this server gave out for some listing, and ones it never did. */
  cursor(): string {
    const given = this.cursors();
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const forged = [
      b64(`thread.oldest:${this.pick(['1.5', '1e308', '-5', '9007199254740993', 'NaN'])}:abc`),
      b64(`thread.top:${this.pick(['0.25', '99999999999', '-99999999999'])}:abc`),
      b64(`queue.score:${this.pick(['2', '-0.1', '0.5'])}:${this.id()}`),
      b64(`audit:${this.int(0, 2e12)}:${this.id()}`),
      b64('1.5:abc'),
      b64(`\u0000:1:a`),
      '!!!',
      '',
      'A'.repeat(300),
    ];
    return given.length && this.chance(0.5) ? this.pick(given) : this.pick(forged);
  }
}

for (const dialect of DIALECTS) {
  describe(`fuzz from the OpenAPI document [${dialect}]`, () => {
    let t: TestApp;
    const ids: string[] = [];
    const cursors: string[] = [];
    let reader: { id: string };
    let admin: { id: string };

    before(async () => {
      t = await startTestApp(dialect);
      reader = await insertUser(t.db, { username: 'fuzz_reader', email: null, passwordHash: 'not-a-hash', role: 'commenter' });
      admin = await insertUser(t.db, { username: 'fuzz_admin', email: null, passwordHash: 'not-a-hash', role: 'admin' });
      const token = await createApiToken(t.db, admin.id, 'fuzz');
      const bearer = { authorization: `Bearer ${token}` };
      const story = await t.app.inject({ method: 'POST', url: '/api/stories', headers: bearer, payload: { url: 'https://news.example.com/fuzz', title: 'Fuzz' } });
      const storyId = story.json().id as string;
      ids.push(storyId, t.siteId);
      for (let i = 0; i < 6; i++) {
        const target = await insertUser(t.db, { username: `fuzz_target_${i}`, email: null, passwordHash: 'not-a-hash', role: 'commenter' });
        ids.push(target.id);
        const parentId = i > 0 && i % 2 === 0 ? ids[ids.length - 2] : undefined;
        const comment = await t.app.inject({ method: 'POST', url: `/api/stories/${storyId}/comments`, headers: bearer, payload: { body: `Comment ${i}`, ...(parentId ? { parentId } : {}) } });
        ids.push(comment.json().comment.id as string);
      }
      for (const url of [`/api/stories/${storyId}/comments?limit=1`, `/api/stories/${storyId}/comments?limit=1&sort=top`, '/api/moderation/queue?queue=all&limit=1&sort=score', '/api/moderation/audit?limit=1']) {
        const cursor = (await t.app.inject({ url, headers: bearer })).json().nextCursor;
        if (typeof cursor === 'string') cursors.push(cursor);
      }
    });
    after(async () => t?.close());

    it('answers every generated request below 500 and every error in the documented shape', async () => {
      const doc = (await t.app.inject('/api/docs/json')).json();
      const operations = documentedOperations(doc);
      const g = new Generator(SEED, () => ids, () => cursors);
      const started = Date.now();
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let sent = 0;
      for (let round = 0; round < REQUESTS_PER_OPERATION && Date.now() - started < TIME_BUDGET_MS; round++) {
        for (const op of operations) {
          // The event streams never end by themselves; HEAD asks the same question and returns.
          const method = STREAMS.has(op.path) ? 'HEAD' : op.method;
          const broken = g.chance(0.6);
          let url = op.path;
          for (const p of op.parameters.filter((p) => p.in === 'path')) {
            const segment = broken && g.chance(0.3) ? g.pick(EDGE_PATH_SEGMENTS) : g.id();
            url = url.replace(`{${p.name}}`, segment);
          }
          const query = new URLSearchParams();
          for (const p of op.parameters.filter((p) => p.in === 'query')) {
            if (!g.chance(0.6)) continue;
            const value = broken && g.chance(0.4) ? g.invalid(p.schema, p.name) : g.valid(p.schema, p.name);
            query.append(p.name, typeof value === 'string' ? value : JSON.stringify(value) ?? '');
          }
          if (broken && g.chance(0.1)) query.append(g.pick(['limit', 'sort', 'unknown']), g.pick(EDGE_STRINGS));
          const search = query.toString();
          const headers: Record<string, string> = {};
          const who = g.pick(['anonymous', 'cookie', 'bearer', 'cookie without CSRF'] as const);
          if (who === 'bearer') headers.authorization = `Bearer ${await createApiToken(t.db, g.chance(0.5) ? admin.id : reader.id, 'fuzz')}`;
          if (who === 'cookie' || who === 'cookie without CSRF') {
            const session = await createSession(t.db, g.chance(0.5) ? admin.id : reader.id, 3_600_000);
            headers.cookie = `parley_session=${session.secret}`;
            if (who === 'cookie') headers['x-csrf-token'] = session.csrfToken;
          }
          let payload: string | undefined;
          if (op.body || (broken && method !== 'GET' && method !== 'HEAD' && g.chance(0.2))) {
            const value = op.body && !(broken && g.chance(0.7)) ? g.valid(op.body) : g.invalid(op.body ?? {});
            const form = g.chance(broken ? 0.25 : 0);
            headers['content-type'] = form
              ? g.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', ''])
              : 'application/json';
            payload = broken && g.chance(0.1) ? g.pick(['{"body":', '{', 'null', '', '[]', '"text"', '{"a":1,"a":2}']) : JSON.stringify(value);
            if (broken && g.chance(0.05)) payload = JSON.stringify({ deep: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) });
          }
          const described = `${method} ${url}${search ? `?${search.slice(0, 120)}` : ''} as ${who} with ${headers['content-type'] ?? 'no body'} ${payload?.slice(0, 120) ?? ''}`;
          const response = await answeredWithin(
            5000,
            t.app.inject({ method: method as 'GET', url: search ? `${url}?${search}` : url, headers, ...(payload === undefined ? {} : { payload }) }),
          );
          sent++;
          if (!response) {
            failures.push(`no answer within 5 s for ${described}`);
            continue;
          }
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          if (response.statusCode >= 500) failures.push(`${response.statusCode} for ${described}: ${response.body.slice(0, 300)}`);
          else if (response.statusCode >= 400 && method !== 'HEAD') {
            let error: { code?: unknown; message?: unknown } | undefined;
            try {
              error = (response.json() as { error?: typeof error }).error;
            } catch {
              error = undefined;
            }
            if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
              failures.push(`error outside the documented shape for ${described}: ${response.body.slice(0, 300)}`);
            }
          }
        }
      }
      const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
      console.log(`fuzz [${dialect}]: ${sent} requests over ${operations.length} operations in ${Date.now() - started} ms (seed ${SEED}): ${histogram}`);
      assert.ok(sent >= Math.max(operations.length * 10, MIN_REQUESTS), `only ${sent} requests were sent in the time budget`);
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
    });
  });
}
