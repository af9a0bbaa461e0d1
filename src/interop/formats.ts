// Streaming readers for the two export formats newsrooms hold: Disqus XML and WordPress WXR. Both read a
// file a chunk at a time with saxes and yield records as they complete, so memory stays flat whatever the
// file's size. A file that is not well-formed XML (a truncated download) throws with the line it broke on.
import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';

export type ImportSource = 'disqus' | 'wordpress';

export interface ImportedThread {
  type: 'thread';
  externalId: string;
  url: string;
  title: string;
  createdAt: number;
}

export interface ImportedComment {
  type: 'comment';
  externalId: string;
  threadExternalId: string;
  parentExternalId: string | null;
  /** One Parley account per key: the source's user id, else the e-mail, else the display name. */
  authorKey: string;
  authorName: string;
  authorEmail: string | null;
  html: string;
  createdAt: number;
  state: 'published' | 'pending' | 'spam' | 'deleted';
  likes: number;
}

/** A record the file holds that Parley does not import (a pingback, a comment with no id), and why. */
export interface SkippedRecord {
  type: 'skipped';
  reason: string;
}

export type ImportRecord = ImportedThread | ImportedComment | SkippedRecord;

/** Where a record's text fields are collected while its element is open. */
type Fields = Map<string, string>;

const CHUNK_BYTES = 256 * 1024;

function date(text: string | undefined): number {
  if (!text) return NaN;
  // WordPress writes "2012-01-31 10:00:00" in UTC (the _gmt fields).
  const iso = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  return Date.parse(iso);
}

const truthy = (text: string | undefined) => text?.trim().toLowerCase() === 'true';

interface Tag {
  name: string;
  attributes: Record<string, string>;
}

/** saxes keeps one handler per event; a format listens with several. */
class XmlEvents {
  private readonly handlers = { opentag: [] as Array<(tag: Tag) => void>, text: [] as Array<(text: string) => void>, closetag: [] as Array<(tag: Tag) => void> };

  on(event: 'opentag' | 'closetag', handler: (tag: Tag) => void): void;
  on(event: 'text', handler: (text: string) => void): void;
  on(event: keyof XmlEvents['handlers'], handler: (arg: never) => void): void {
    (this.handlers[event] as Array<(arg: never) => void>).push(handler);
  }

  attach(parser: SaxesParser): void {
    parser.on('opentag', (tag) => {
      const attributes = tag.attributes as Record<string, string>;
      for (const handler of this.handlers.opentag) handler({ name: tag.name, attributes });
    });
    const text = (t: string) => {
      for (const handler of this.handlers.text) handler(t);
    };
    parser.on('text', text);
    parser.on('cdata', text);
    parser.on('closetag', (tag) => {
      for (const handler of this.handlers.closetag) handler({ name: tag.name, attributes: {} });
    });
  }
}

/** Reads a file through saxes a chunk at a time, and yields what the format's handlers produced after each chunk. */
async function* readXml(path: string, handle: (events: XmlEvents, emit: (record: ImportRecord) => void) => void): AsyncGenerator<ImportRecord> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const pending: ImportRecord[] = [];
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= new Error(`${path} is not well-formed XML (line ${parser.line}, column ${parser.column}): ${error.message}`);
  });
  const events = new XmlEvents();
  handle(events, (record) => pending.push(record));
  events.attach(parser);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream) {
    parser.write(chunk as string);
    if (failure) throw failure;
    yield* pending.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* pending.splice(0);
}

/** Collects the text of the leaf elements under one record element, keyed by their path below it. */
function collector(parser: XmlEvents, record: string, onDone: (fields: Fields, attributes: Map<string, string>) => void) {
  const stack: string[] = [];
  let depth = -1;
  let fields: Fields = new Map();
  let attributes = new Map<string, string>();
  let text = '';
  parser.on('opentag', (tag) => {
    stack.push(tag.name);
    if (depth < 0 && tag.name === record) {
      depth = stack.length;
      fields = new Map();
      attributes = new Map([['', String(tag.attributes['dsq:id'] ?? '')]]);
    } else if (depth >= 0) {
      const key = stack.slice(depth).join('/');
      for (const [name, value] of Object.entries(tag.attributes)) attributes.set(`${key}@${name}`, String(value));
    }
    text = '';
  });
  parser.on('text', (t) => {
    if (depth >= 0) text += t;
  });
  parser.on('closetag', () => {
    if (depth >= 0 && stack.length > depth) {
      const key = stack.slice(depth).join('/');
      if (text.trim() || !fields.has(key)) fields.set(key, text.trim());
    }
    if (depth >= 0 && stack.length === depth) {
      depth = -1;
      onDone(fields, attributes);
    }
    stack.pop();
    text = '';
  });
}

/** A Disqus export: <thread dsq:id> elements (stories), then <post dsq:id> elements (comments). */
export function readDisqus(path: string): AsyncGenerator<ImportRecord> {
  return readXml(path, (parser, emit) => {
    const seen = new Set<string>();
    collector(parser, 'thread', (fields, attributes) => {
      // <thread dsq:id> also appears inside each <post>, as a reference: those have no fields.
      const externalId = attributes.get('') ?? '';
      const url = fields.get('link');
      if (!externalId || !url) return;
      if (seen.has(externalId)) return;
      seen.add(externalId);
      emit({ type: 'thread', externalId, url, title: fields.get('title') || url, createdAt: date(fields.get('createdAt')) });
    });
    collector(parser, 'post', (fields, attributes) => {
      const externalId = attributes.get('') || fields.get('id') || '';
      const threadExternalId = attributes.get('thread@dsq:id') ?? '';
      if (!externalId || !threadExternalId) return emit({ type: 'skipped', reason: 'a post with no id or no thread' });
      const name = fields.get('author/name') || fields.get('author/username') || 'Anonymous';
      const email = fields.get('author/email') || null;
      const username = fields.get('author/username');
      emit({
        type: 'comment',
        externalId,
        threadExternalId,
        parentExternalId: attributes.get('parent@dsq:id') || null,
        authorKey: username ? `user:${username}` : email ? `email:${email.toLowerCase()}` : `name:${name}`,
        authorName: name,
        authorEmail: email,
        html: fields.get('message') ?? '',
        createdAt: date(fields.get('createdAt')),
        state: truthy(fields.get('isDeleted')) ? 'deleted' : truthy(fields.get('isSpam')) ? 'spam' : 'published',
        likes: Number.parseInt(fields.get('likes') ?? '0', 10) || 0,
      });
    });
  });
}

const WP_STATES: Record<string, ImportedComment['state']> = { '1': 'published', '0': 'pending', spam: 'spam', trash: 'deleted' };

/** A WordPress export (WXR): <item> posts, each with its <wp:comment> elements. */
export function readWordPress(path: string): AsyncGenerator<ImportRecord> {
  return readXml(path, (parser, emit) => {
    // The post's fields come before its comments in WXR: the story is known when its first comment ends.
    let item: { id: string; url: string; title: string; date: string; announced: boolean } | null = null;
    let field: string | null = null;
    let text = '';
    parser.on('opentag', (tag) => {
      if (tag.name === 'item') item = { id: '', url: '', title: '', date: '', announced: false };
      field = tag.name;
      text = '';
    });
    parser.on('text', (t) => (text += t));
    parser.on('closetag', (tag) => {
      if (item && field === tag.name) {
        if (tag.name === 'wp:post_id') item.id = text.trim();
        else if (tag.name === 'link') item.url = text.trim();
        else if (tag.name === 'title') item.title = text.trim();
        else if (tag.name === 'wp:post_date_gmt') item.date = text.trim();
      }
      if (tag.name === 'item') item = null;
      field = null;
      text = '';
    });
    collector(parser, 'wp:comment', (fields) => {
      const post = item as { id: string; url: string; title: string; date: string; announced: boolean } | null;
      if (!post?.id || !post.url) return emit({ type: 'skipped', reason: 'a comment outside a post with an id and a link' });
      if (!post.announced) {
        post.announced = true;
        emit({ type: 'thread', externalId: post.id, url: post.url, title: post.title || post.url, createdAt: date(post.date) });
      }
      const commentType = fields.get('wp:comment_type') ?? '';
      if (commentType === 'pingback' || commentType === 'trackback') return emit({ type: 'skipped', reason: `a ${commentType}` });
      const externalId = fields.get('wp:comment_id') ?? '';
      if (!externalId) return emit({ type: 'skipped', reason: 'a comment with no id' });
      const name = fields.get('wp:comment_author') || 'Anonymous';
      const email = fields.get('wp:comment_author_email') || null;
      const userId = fields.get('wp:comment_user_id');
      const parent = fields.get('wp:comment_parent');
      emit({
        type: 'comment',
        externalId,
        threadExternalId: post.id,
        parentExternalId: parent && parent !== '0' ? parent : null,
        authorKey: userId && userId !== '0' ? `user:${userId}` : email ? `email:${email.toLowerCase()}` : `name:${name}`,
        authorName: name,
        authorEmail: email,
        html: fields.get('wp:comment_content') ?? '',
        createdAt: date(fields.get('wp:comment_date_gmt') || fields.get('wp:comment_date')),
        state: WP_STATES[fields.get('wp:comment_approved') ?? '1'] ?? 'pending',
        likes: 0,
      });
    });
  });
}

export const READERS: Record<ImportSource, (path: string) => AsyncGenerator<ImportRecord>> = { disqus: readDisqus, wordpress: readWordPress };
