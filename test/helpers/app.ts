// A Parley server on a throw-away database, driven through Fastify's inject (no sockets) or listening on a port.
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createContext, type App, type AppContext } from '../../src/server/context.js';
import { configFromEnv, type ServerConfig } from '../../src/config.js';
import type { Dialect } from '../../src/storage/db.js';
import type { Scorer } from '../../src/moderation/types.js';
import { insertSite } from '../../src/storage/sites.js';
import { DEFAULT_POLICY, type SitePolicy } from '../../src/moderation/policy.js';
import { createApiToken } from '../../src/storage/sessions.js';
import type { Role } from '../../src/storage/schema.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface TestAppOptions {
  scorer?: Scorer | null;
  policy?: Partial<SitePolicy>;
  config?: (config: ServerConfig) => ServerConfig;
}

/** A signed-in client: its cookie and CSRF token ride along on every request. */
export interface Agent {
  username: string;
  userId: string;
  cookie: string;
  csrfToken: string;
}

export interface RequestOptions {
  body?: unknown;
  as?: Agent | null;
  headers?: Record<string, string>;
  /** Leave out the CSRF header, to test that it is required. */
  noCsrf?: boolean;
}

export class TestApp {
  private counter = 0;
  readonly passwords = new Map<string, string>();
  constructor(
    readonly app: App,
    readonly context: AppContext,
    readonly database: TestDatabase,
    readonly siteId: string,
  ) {}

  get db() {
    return this.context.storage.db;
  }

  async request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, options: RequestOptions = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) {
      headers.cookie = options.as.cookie;
      if (method !== 'GET' && !options.noCsrf) headers['x-csrf-token'] = options.as.csrfToken;
    }
    return this.app.inject({ method, url, headers, ...(options.body === undefined ? {} : { payload: options.body as object }) });
  }

  /** Signs up a new commenter through the API (or creates a user with a role directly) and logs in. */
  async agent(role: Role = 'commenter', name?: string): Promise<Agent> {
    const username = name ?? `${role}_${++this.counter}_${Math.random().toString(36).slice(2, 6)}`;
    const password = `pw-${Math.random().toString(36).slice(2)}-long-enough`;
    this.passwords.set(username, password);
    if (role === 'commenter') {
      const res = await this.request('POST', '/api/auth/signup', { body: { username, email: `${username}@example.com`, password } });
      if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
    } else {
      await this.context.accounts.create({ username, email: null, password, role });
    }
    const res = await this.request('POST', '/api/auth/login', { body: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const body = res.json() as { user: { id: string }; csrfToken: string };
    return { username, userId: body.user.id, cookie, csrfToken: body.csrfToken };
  }

  async token(agent: Agent): Promise<string> {
    return createApiToken(this.db, agent.userId, 'test');
  }

  /** Creates a story through the API as a fresh moderator. */
  async story(fields: Record<string, unknown> = {}): Promise<string> {
    const moderator = await this.agent('moderator');
    const url = `https://news.example.com/${Math.random().toString(36).slice(2)}`;
    const res = await this.request('POST', '/api/stories', { as: moderator, body: { url, title: 'A story', ...fields } });
    if (res.statusCode !== 201) throw new Error(`story failed: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }

  async comment(agent: Agent, storyId: string, body: string, parentId?: string): Promise<{ id: string; status: string }> {
    const res = await this.request('POST', `/api/stories/${storyId}/comments`, { as: agent, body: { body, ...(parentId ? { parentId } : {}) } });
    if (res.statusCode !== 201) throw new Error(`comment failed: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string; status: string };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.database.drop();
  }
}

export function testConfig(): ServerConfig {
  const config = configFromEnv({});
  return {
    ...config,
    rateLimits: { ...config.rateLimits, perMinute: 100_000, authPerMinute: 100_000, writesPerMinute: 100_000 },
    core: { ...config.core, guests: { ...config.core.guests, perAddressPerHour: 100_000, perBrowserPerHour: 100_000 } },
  };
}

export async function startTestApp(dialect: Dialect, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const config = (options.config ?? ((c) => c))(testConfig());
  config.database = database.location;
  const context = createContext(database.storage, config, options.scorer ?? null);
  const site = await insertSite(database.storage.db, 'Test site', JSON.stringify({ ...DEFAULT_POLICY, ...options.policy }));
  const app = await buildApp(context, { logger: false });
  return new TestApp(app, context, database, site.id);
}
