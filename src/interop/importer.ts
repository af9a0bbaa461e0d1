// Imports a Disqus or WordPress export into one site. Three passes over the file, so that a broken file
// changes nothing and memory stays flat:
//   1. check: read the whole file once; a file that is not well-formed (a truncated download) stops here.
//   2. stage: stories are created (or merged by URL) and comments staged, a batch per transaction.
//   3. place: staged comments go into their threads once their parent is placed, oldest first, a batch per
//      transaction; a reply whose parent is nowhere in the file, or that sits in a reply cycle, becomes a
//      top-level comment.
// Every record's Parley id is kept in import_keys: a second run adds nothing, and a run cut short (a crash,
// Ctrl-C) is finished by running the same command again.
import type { Kysely } from 'kysely';
import type { Storage } from '../storage/db.js';
import type { Database, NewComment, UserRow } from '../storage/schema.js';
import { newTimeOrderedId } from '../storage/ids.js';
import { findSite } from '../storage/sites.js';
import { findStoryByUrl, insertStory } from '../storage/stories.js';
import { findUserByUsername, insertUser, takenIdentifiers } from '../storage/users.js';
import { findPlacements, insertComments } from '../storage/comments.js';
import {
  countStagedComments,
  findImportKeys,
  insertImportKeys,
  readPlaceableComments,
  readStagedComments,
  stageComments,
  unstageComments,
  type ImportKind,
  type PlaceableComment,
} from '../storage/imports.js';
import { renderMarkdown } from '../content/markdown.js';
import type { ModerationStep } from '../moderation/step.js';
import { parsePolicy, type SitePolicy } from '../moderation/policy.js';
import { decisionColumns } from '../core/comments.js';
import { notFound } from '../core/errors.js';
import { normalizeStoryUrl } from '../core/embed.js';
import { READERS, type ImportedComment, type ImportedThread, type ImportRecord, type ImportSource } from './formats.js';
import { htmlToMarkdown } from './html.js';

export interface ImportOptions {
  siteId: string;
  source: ImportSource;
  file: string;
  /** score: keep each comment's state from the file and store the classifier's scores; queue: also hold what the policy would hold. */
  moderation: 'score' | 'queue';
  batchSize?: number;
  /** Stops between batches; what was done stays done, and a later run finishes the rest. */
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  pass: 'check' | 'stage' | 'place';
  done: number;
  /** Null while the first pass is still counting. */
  total: number | null;
}

export interface ImportSummary {
  records: number;
  stories: { created: number; merged: number; alreadyImported: number };
  comments: {
    placed: number;
    alreadyImported: number;
    /** Placed as top-level comments: their parent is not in the file, or is in another story. */
    missingParent: number;
    /** Placed as top-level comments to break a cycle of replies. */
    cycleBroken: number;
    held: number;
    rejectedAsSpam: number;
    deleted: number;
  };
  authors: { created: number };
  /** Records not imported, by reason. */
  skipped: Record<string, number>;
}

/** The summary in sentences, one a line, as the command line and the console print it. */
export function describeSummary(s: ImportSummary): string[] {
  const lines = [
    `${s.records} records read.`,
    `Stories: ${s.stories.created} created, ${s.stories.merged} merged with an existing story of the same URL, ${s.stories.alreadyImported} imported before.`,
    `Comments: ${s.comments.placed} imported, ${s.comments.alreadyImported} imported before` +
      ` (${s.comments.held} held for moderators, ${s.comments.rejectedAsSpam} rejected as spam, ${s.comments.deleted} kept as [deleted]).`,
  ];
  if (s.comments.missingParent) lines.push(`${s.comments.missingParent} replies whose parent is not in the file became top-level comments.`);
  if (s.comments.cycleBroken) lines.push(`${s.comments.cycleBroken} replies in a cycle of replies became top-level comments.`);
  lines.push(`Authors: ${s.authors.created} accounts created (no password: each can be claimed by its owner).`);
  for (const [reason, n] of Object.entries(s.skipped)) lines.push(`Skipped ${n}: ${reason}.`);
  if (s.comments.placed === 0 && s.stories.created === 0) lines.push('Nothing new: this file was imported before.');
  return lines;
}

/** Thrown between batches when the caller asked the import to stop; running it again finishes it. */
export class ImportInterrupted extends Error {
  constructor() {
    super('The import was interrupted; run the same command again to finish it.');
  }
}

/** Imported accounts have no password: nobody can log in as them until the person claims the account. */
export const NO_PASSWORD = '';

/** The story's canonical URL, as the embed names stories; null for a link that is not an http(s) URL. */
function storyUrl(link: string): string | null {
  try {
    return normalizeStoryUrl(link);
  } catch {
    return null;
  }
}

function count(summary: ImportSummary, reason: string, n = 1): void {
  summary.skipped[reason] = (summary.skipped[reason] ?? 0) + n;
}

const USERNAME_CHARS = /[^A-Za-z0-9_.-]+/g;

export class Importer {
  constructor(
    private readonly storage: Storage,
    private readonly step: ModerationStep,
  ) {}

  private get db() {
    return this.storage.db;
  }

  async run(options: ImportOptions): Promise<ImportSummary> {
    const site = await findSite(this.db, options.siteId);
    if (!site) throw notFound('The site');
    const policy = parsePolicy(site.policy_json);
    const batchSize = options.batchSize ?? 500;
    const summary: ImportSummary = {
      records: 0,
      stories: { created: 0, merged: 0, alreadyImported: 0 },
      comments: { placed: 0, alreadyImported: 0, missingParent: 0, cycleBroken: 0, held: 0, rejectedAsSpam: 0, deleted: 0 },
      authors: { created: 0 },
      skipped: {},
    };
    const read = () => READERS[options.source](options.file);
    const progress = options.onProgress ?? (() => undefined);
    const stopIfAsked = () => {
      if (options.signal?.aborted) throw new ImportInterrupted();
    };

    // 1. check
    let total = 0;
    for await (const _record of read()) {
      total++;
      if (total % 10_000 === 0) progress({ pass: 'check', done: total, total: null });
    }
    summary.records = total;

    // 2. stage
    const scope = { siteId: site.id, source: options.source };
    let batch: ImportRecord[] = [];
    let done = 0;
    const flush = async () => {
      stopIfAsked();
      await this.db.transaction().execute((trx) => this.stage(trx, scope, batch, summary));
      done += batch.length;
      batch = [];
      progress({ pass: 'stage', done, total });
    };
    for await (const record of read()) {
      if (record.type === 'skipped') {
        count(summary, record.reason);
        continue;
      }
      batch.push(record);
      if (batch.length >= batchSize) await flush();
    }
    await flush();

    // 3. place
    const staged = await countStagedComments(this.db, scope);
    let placed = 0;
    // Passes in age order; a reply older than its parent waits for the next pass.
    let after: PlaceableComment | null = null;
    let placedThisPass = 0;
    for (;;) {
      stopIfAsked();
      let rows = await readPlaceableComments(this.db, scope, after, batchSize);
      let cycle = false;
      if (rows.length === 0 && after !== null && placedThisPass > 0) {
        after = null;
        placedThisPass = 0;
        continue;
      }
      if (rows.length === 0) {
        // Only replies whose parents are themselves waiting remain: a cycle. Its oldest starts a thread.
        rows = await readStagedComments(this.db, scope, 1);
        cycle = true;
      }
      if (rows.length === 0) break;
      await this.db.transaction().execute((trx) => this.place(trx, scope, rows, policy, options.moderation, cycle, summary));
      placed += rows.length;
      placedThisPass += rows.length;
      after = cycle ? null : rows[rows.length - 1]!;
      progress({ pass: 'place', done: placed, total: staged });
    }
    return summary;
  }

  private async stage(trx: Kysely<Database>, scope: { siteId: string; source: string }, records: ImportRecord[], summary: ImportSummary) {
    const threads = records.filter((r): r is ImportedThread => r.type === 'thread');
    const comments = records.filter((r): r is ImportedComment => r.type === 'comment');
    const knownThreads = await findImportKeys(trx, scope, 'story', threads.map((t) => t.externalId));
    const keys: Array<{ kind: ImportKind; external_id: string; parley_id: string }> = [];
    for (const thread of threads) {
      if (knownThreads.has(thread.externalId)) {
        summary.stories.alreadyImported++;
        continue;
      }
      const url = storyUrl(thread.url);
      if (!url) {
        count(summary, 'a story whose link is not an http or https URL');
        continue;
      }
      let story = await findStoryByUrl(trx, scope.siteId, url);
      if (story) summary.stories.merged++;
      else {
        const publishedAt = Number.isFinite(thread.createdAt) ? thread.createdAt : Date.now();
        story = await insertStory(trx, {
          site_id: scope.siteId,
          url,
          title: thread.title.slice(0, 300),
          published_at: publishedAt,
        });
        summary.stories.created++;
      }
      knownThreads.set(thread.externalId, story.id);
      keys.push({ kind: 'story', external_id: thread.externalId, parley_id: story.id });
    }
    await insertImportKeys(trx, keys.map((k) => ({ ...k, site_id: scope.siteId, source: scope.source })));
    const knownComments = await findImportKeys(trx, scope, 'comment', comments.map((c) => c.externalId));
    const fresh = comments.filter((c) => !knownComments.has(c.externalId));
    summary.comments.alreadyImported += comments.length - fresh.length;
    const staged = await stageComments(
      trx,
      fresh.map((c) => ({
        site_id: scope.siteId,
        source: scope.source,
        external_id: c.externalId,
        thread_external_id: c.threadExternalId,
        parent_external_id: c.parentExternalId,
        author_key: c.authorKey,
        author_name: c.authorName,
        author_email: c.authorEmail,
        body_markdown: htmlToMarkdown(c.html),
        state: c.state,
        likes: c.likes,
        created_at: Number.isFinite(c.createdAt) ? c.createdAt : Date.now(),
      })),
    );
    // Staged before, by this run (an id the file repeats) or by a run cut short.
    if (staged < fresh.length) count(summary, 'a comment staged before (an id repeated in the file, or a run cut short)', fresh.length - staged);
  }

  private async place(
    trx: Kysely<Database>,
    scope: { siteId: string; source: string },
    rows: PlaceableComment[],
    policy: SitePolicy,
    moderation: ImportOptions['moderation'],
    cycle: boolean,
    summary: ImportSummary,
  ) {
    const stories = await findImportKeys(trx, scope, 'story', [...new Set(rows.map((r) => r.thread_external_id))]);
    const authors = await this.authors(trx, scope, rows, summary);
    const parents = await findPlacements(trx, rows.flatMap((r) => (r.parent_parley_id ? [r.parent_parley_id] : [])));
    const comments: NewComment[] = [];
    const keys: Array<{ kind: ImportKind; external_id: string; parley_id: string }> = [];
    for (const row of rows) {
      const storyId = stories.get(row.thread_external_id);
      if (!storyId) {
        count(summary, 'a comment on a story that is not in the file');
        continue;
      }
      if (!row.body_markdown.trim() && row.state !== 'deleted') {
        count(summary, 'an empty comment');
        continue;
      }
      const parent = row.parent_parley_id ? parents.get(row.parent_parley_id) : undefined;
      const placedUnder = parent && parent.story_id === storyId ? parent : undefined;
      if (row.parent_external_id && !placedUnder) {
        if (cycle) summary.comments.cycleBroken++;
        else summary.comments.missingParent++;
      }
      const body = row.body_markdown.trim() || '[deleted]';
      const decision = this.step.decide(body, policy);
      const id = newTimeOrderedId();
      const status =
        row.state === 'spam' ? 'rejected' : row.state === 'pending' ? 'pending' : moderation === 'queue' && decision.status !== 'published' ? decision.status : 'published';
      if (status === 'pending') summary.comments.held++;
      if (row.state === 'spam') summary.comments.rejectedAsSpam++;
      if (row.state === 'deleted') summary.comments.deleted++;
      comments.push({
        id,
        story_id: storyId,
        site_id: scope.siteId,
        parent_id: placedUnder?.id ?? null,
        root_id: placedUnder?.root_id ?? id,
        depth: placedUnder ? placedUnder.depth + 1 : 0,
        author_id: authors.get(row.author_key)!,
        body_markdown: body,
        body_html: renderMarkdown(body),
        ...decisionColumns(decision),
        status,
        score: row.likes,
        created_at: row.created_at,
        edited_at: null,
        deleted_at: row.state === 'deleted' ? row.created_at : null,
        moderated_by: null,
        moderated_at: null,
        moderation_reason: row.state === 'spam' ? 'Marked as spam before the import.' : null,
        featured_at: null,
        open_reports: 0,
      });
      keys.push({ kind: 'comment', external_id: row.external_id, parley_id: id });
    }
    await insertComments(trx, comments);
    await insertImportKeys(trx, keys.map((k) => ({ ...k, site_id: scope.siteId, source: scope.source })));
    await unstageComments(trx, scope, rows.map((r) => r.external_id));
    summary.comments.placed += comments.length;
  }

  /** The Parley account of each author key in the batch, created (with no password) on first sight. */
  private async authors(trx: Kysely<Database>, scope: { siteId: string; source: string }, rows: PlaceableComment[], summary: ImportSummary) {
    const keys = [...new Set(rows.map((r) => r.author_key))];
    const known = await findImportKeys(trx, scope, 'author', keys);
    const created: Array<{ kind: ImportKind; external_id: string; parley_id: string }> = [];
    for (const key of keys) {
      if (known.has(key)) continue;
      const row = rows.find((r) => r.author_key === key)!;
      const user = await this.newAccount(trx, row.author_name, row.author_email);
      known.set(key, user.id);
      created.push({ kind: 'author', external_id: key, parley_id: user.id });
      summary.authors.created++;
    }
    await insertImportKeys(trx, created.map((k) => ({ ...k, site_id: scope.siteId, source: scope.source })));
    return known;
  }

  /** An account for an imported author: their name made a valid, free username; their e-mail if no account has it. */
  private async newAccount(trx: Kysely<Database>, name: string, email: string | null): Promise<UserRow> {
    const base = (name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(USERNAME_CHARS, '_').replace(/^[.-]+/, '').slice(0, 24) || 'reader').padEnd(2, '_');
    let username = base;
    for (let n = 2; await findUserByUsername(trx, username); n++) username = `${base.slice(0, 24)}_${n}`;
    const emailTaken = email ? (await takenIdentifiers(trx, username, email)).email : true;
    return insertUser(trx, { username, email: emailTaken ? null : email, passwordHash: NO_PASSWORD, role: 'commenter' });
  }
}
