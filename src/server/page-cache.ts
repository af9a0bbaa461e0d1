// The pages anonymous readers get of a story's thread (the API's JSON and the story page's HTML), kept in this
// process's memory and dropped when a thread event of the story (new, edited, deleted, voted or moderated comment)
// is read from the log: the same events, over the same bus, that live updates use, so it works across processes
// on PostgreSQL (NOTIFY) and Redis. Only what every anonymous reader may see is ever stored: pages are built
// without a viewer, so held and rejected comments are not in them. A signed-in reader's page is made from the
// shared page's model with their votes laid over it (CommentService.personalize), never stored, never shared.
//
// How stale a page can be: until this process reads the event that changed it (the bus's delay, milliseconds),
// and never more than `maxAgeMs` (a lost bus connection, a change that raises no thread event: a story edited,
// a user renamed). In the process that made a change, pages are not served from the cache from the moment the
// change is raised until its event is read, so a writer sees their own change on the next page view.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import type { ThreadEventRow } from '../storage/schema.js';
import type { PageCacheSettings } from '../config.js';
import type { Metrics } from './metrics.js';

/**
 * A page as sent to every anonymous reader, with its compressed bodies once some reader asked for them, and what
 * it was rendered from (the model), for the pages of signed-in readers made from it.
 */
export interface SharedPage<M = unknown> {
  storyId: string;
  /** The page's key in the cache (its story and what else it differs by); empty until it is stored. */
  key: string;
  model: M;
  contentType: string;
  body: Buffer;
  etag: string;
  storedAt: number;
  gzip?: Buffer;
  br?: Buffer;
}

/** A browser keeps a shared page but asks again (with its ETag) before each use. */
export const SHARED_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
/**
 * What a CDN in front may do with a shared page (CDN-Cache-Control, RFC 9213, read by CDNs and not by browsers):
 * keep it briefly, and serve it stale while it asks again.
 */
export const SHARED_CDN_CACHE_CONTROL = 'public, max-age=5, stale-while-revalidate=10';
/** A signed-in reader's page is theirs alone. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';
/** Smaller bodies are sent as they are: compressing them saves less than it costs. */
const COMPRESS_FROM = 1024;
/** URLs remembered per cached page (a page asked for by several spellings of its query). */
const URLS_PER_ENTRY = 4;

/** Where the process's thread events come from (the live hub). */
export interface EventFeed {
  follow(follower: (row: ThreadEventRow) => void): Promise<unknown>;
  readonly position: number;
}

interface Build {
  storyId: string;
  promise: Promise<SharedPage<unknown>>;
  /** Set when an event of the story arrived while the page was being built: it is served but not kept. */
  outdated: boolean;
}

export class PageCache {
  /** In least-recently-used order (a Map iterates in insertion order; a hit moves its key to the end). */
  private readonly pages = new Map<string, SharedPage<unknown>>();
  /** The keys of each story's pages, so that an event drops them without a scan. */
  private readonly keysOf = new Map<string, Set<string>>();
  /**
   * The cache key an anonymous GET of this URL (path and query as sent) was answered with, so that the next such
   * request is answered before Fastify parses and validates it (`serveFromMemory`). The route worked the key out
   * from the same URL, so the same URL always has the same key. Bounded: the oldest go first.
   */
  private readonly keyOfUrl = new Map<string, string>();
  /** Builds in progress by key: readers who miss at once wait for one build. */
  private readonly building = new Map<string, Build>();
  private following: Promise<unknown> | null = null;
  private ready = false;
  /** The latest event this process raised, and the latest it has read back: pages bypass the cache in between. */
  private raisedUpTo = 0;
  private readUpTo = 0;

  constructor(
    private readonly settings: PageCacheSettings,
    private readonly metrics: Metrics,
    private readonly feed: EventFeed,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get enabled(): boolean {
    return this.settings.entries > 0;
  }

  /** Starts following the thread events; until that has succeeded, nothing is served from the cache. */
  private follow(): void {
    this.following ??= this.feed
      .follow((row) => this.eventRead(row))
      .then(() => {
        this.readUpTo = Math.max(this.readUpTo, this.feed.position);
        this.ready = true;
      })
      .catch((error: unknown) => {
        this.onError(error);
        // Tried again by a later page view, a few seconds on.
        setTimeout(() => (this.following = null), 5000).unref();
      });
  }

  /** This process has committed a thread event: until it is read back, pages are built afresh. */
  raised(eventId: number): void {
    this.raisedUpTo = Math.max(this.raisedUpTo, eventId);
  }

  private eventRead(row: ThreadEventRow): void {
    this.readUpTo = Math.max(this.readUpTo, row.id);
    this.invalidate(row.story_id);
  }

  /** Drops every page of a story, and keeps a page being built now from being stored. */
  invalidate(storyId: string): void {
    for (const key of this.keysOf.get(storyId) ?? []) this.pages.delete(key);
    this.keysOf.delete(storyId);
    this.metrics.pageCacheEntries.set(this.pages.size);
    for (const [key, build] of this.building) {
      if (build.storyId !== storyId) continue;
      build.outdated = true;
      this.building.delete(key);
    }
  }

  /**
   * The shared page for a key, from the cache or built by `render` (which must render it as for an anonymous
   * reader: nothing a held or rejected comment says).
   * @param key everything the page differs by besides the story (format, sort, page size, cursor); one key is
   *   always rendered by the same route, so its model is always of the same type
   */
  async page<M>(storyId: string, key: string, contentType: string, render: () => Promise<Rendered<M>>): Promise<SharedPage<M>> {
    return (await this.shared(storyId, key, contentType, render)) as SharedPage<M>;
  }

  private async shared(storyId: string, key: string, contentType: string, render: () => Promise<Rendered<unknown>>): Promise<SharedPage<unknown>> {
    const fullKey = `${storyId} ${key}`;
    const build = () => render().then(({ model, body }) => sharedPage(storyId, contentType, model, body));
    if (!this.enabled) return build();
    this.follow();
    if (!this.ready || this.raisedUpTo > this.readUpTo) {
      this.metrics.pageCache.inc({ result: 'bypass' });
      return build();
    }
    const cached = this.fresh(fullKey);
    if (cached) return cached;
    const running = this.building.get(fullKey);
    if (running) {
      this.metrics.pageCacheHit();
      return running.promise;
    }
    this.metrics.pageCache.inc({ result: 'miss' });
    const current: Build = { storyId, promise: build(), outdated: false };
    this.building.set(fullKey, current);
    try {
      const page = await current.promise;
      if (!current.outdated) this.store(fullKey, page);
      return page;
    } finally {
      if (this.building.get(fullKey) === current) this.building.delete(fullKey);
    }
  }

  /** The stored page of a key while it may be served (counted as a hit, moved to the end of the LRU order). */
  private fresh(fullKey: string): SharedPage<unknown> | undefined {
    const cached = this.pages.get(fullKey);
    if (!cached) return undefined;
    if (Date.now() - cached.storedAt >= this.settings.maxAgeMs) {
      this.drop(fullKey);
      return undefined;
    }
    this.pages.delete(fullKey);
    this.pages.set(fullKey, cached);
    this.metrics.pageCacheHit();
    return cached;
  }

  /**
   * Sends a shared page (see `sendShared`) to a reader who is not signed in, and remembers the key it was stored
   * under for this URL, so that the next anonymous GET of it is answered by `serveFromMemory`.
   */
  send(request: FastifyRequest, reply: FastifyReply, page: SharedPage<unknown>): FastifyReply {
    if (request.method === 'GET' && page.key && this.pages.get(page.key) === page && this.keyOfUrl.get(request.url) !== page.key) {
      this.keyOfUrl.delete(request.url);
      this.keyOfUrl.set(request.url, page.key);
      while (this.keyOfUrl.size > URLS_PER_ENTRY * this.settings.entries) this.keyOfUrl.delete(this.keyOfUrl.keys().next().value!);
    }
    return sendShared(request, reply, page);
  }

  /**
   * A route's preParsing hook (after every onRequest hook: the security headers, the session check, the rate
   * limit): an anonymous GET of a URL whose page is in memory is answered here, with the same headers and body as
   * the route would send, without validating the query or running the handler. Anything else (a signed-in reader,
   * a page not in memory, this process's own change not yet read back) goes on to the route.
   */
  readonly serveFromMemory: preParsingHookHandler = (request, reply, payload, done) => {
    const key = request.method === 'GET' && request.viewer === null && this.ready && this.raisedUpTo <= this.readUpTo ? this.keyOfUrl.get(request.url) : undefined;
    const page = key === undefined ? undefined : this.fresh(key);
    if (!page) return done(null, payload);
    sendShared(request, reply, page);
  };

  private store(key: string, page: SharedPage<unknown>): void {
    page.key = key;
    this.pages.set(key, page);
    let keys = this.keysOf.get(page.storyId);
    if (!keys) this.keysOf.set(page.storyId, (keys = new Set()));
    keys.add(key);
    while (this.pages.size > this.settings.entries) this.drop(this.pages.keys().next().value!);
    this.metrics.pageCacheEntries.set(this.pages.size);
  }

  private drop(key: string): void {
    const page = this.pages.get(key);
    if (!page) return;
    this.pages.delete(key);
    const keys = this.keysOf.get(page.storyId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysOf.delete(page.storyId);
  }
}

/** A page as rendered: what it shows (the model) and its text. */
export interface Rendered<M> {
  model: M;
  body: string | Buffer | ArrayBuffer;
}

function sharedPage<M>(storyId: string, contentType: string, model: M, rendered: Rendered<M>['body']): SharedPage<M> {
  const body = typeof rendered === 'string' ? Buffer.from(rendered) : Buffer.isBuffer(rendered) ? rendered : Buffer.from(rendered);
  const etag = `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
  return { storyId, key: '', model, contentType, body, etag, storedAt: Date.now() };
}

/** Whether the reader's copy (If-None-Match) is this page. */
function unchanged(request: FastifyRequest, etag: string): boolean {
  const sent = request.headers['if-none-match'];
  if (!sent) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return sent.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

// Readers send few distinct Accept-Encoding values (one per browser build), and parsing one was 1.6% of a cached
// hit's busy time: each value's choice is kept, and the memo emptied when it grows past a bound.
const encodingByHeader = new Map<string, 'br' | 'gzip' | null>();
const ENCODING_MEMO_LIMIT = 256;

function encodingFor(request: FastifyRequest): 'br' | 'gzip' | null {
  const header = request.headers['accept-encoding'];
  if (!header) return null;
  let encoding = encodingByHeader.get(header);
  if (encoding === undefined) {
    encoding = preferredEncoding(header);
    if (encodingByHeader.size >= ENCODING_MEMO_LIMIT) encodingByHeader.clear();
    encodingByHeader.set(header, encoding);
  }
  return encoding;
}

/** The encoding the reader prefers among those we make: brotli, then gzip (q=0 refuses one). */
function preferredEncoding(header: string): 'br' | 'gzip' | null {
  const accepted = new Set(
    header
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
      .map(([name]) => name!.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
}

/**
 * Sends a shared page: `304 Not Modified` when the reader has it, else the body compressed as the reader asks
 * (compressed once per page and kept with it), with the headers that let a CDN keep it.
 */
function sendShared(request: FastifyRequest, reply: FastifyReply, page: SharedPage<unknown>): FastifyReply {
  reply
    .header('etag', page.etag)
    .header('cache-control', SHARED_CACHE_CONTROL)
    .header('cdn-cache-control', SHARED_CDN_CACHE_CONTROL)
    .header('vary', 'Accept-Encoding, Cookie');
  if (unchanged(request, page.etag)) return reply.code(304).send();
  reply.type(page.contentType);
  const encoding = page.body.length >= COMPRESS_FROM ? encodingFor(request) : null;
  if (!encoding) return reply.send(page.body);
  // A page kept for other readers is compressed harder, once; one built for this answer alone (the cache off, or
  // bypassed) quickly: brotli's quality 1 takes about a fifth of the time of 5 for a body about 15% larger.
  const kept = page.key !== '';
  const compressed =
    encoding === 'br'
      ? (page.br ??= brotliCompressSync(page.body, { params: { [constants.BROTLI_PARAM_QUALITY]: kept ? 5 : 1, [constants.BROTLI_PARAM_SIZE_HINT]: page.body.length } }))
      : (page.gzip ??= gzipSync(page.body, { level: kept ? 6 : 1 }));
  return reply.header('content-encoding', encoding).send(compressed);
}

/** A page for one reader only. */
export function markPrivate(reply: FastifyReply): void {
  reply.header('cache-control', PRIVATE_CACHE_CONTROL);
}
