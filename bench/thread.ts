// The thread benchmark: how long one page of a story's comments takes to read, on a hot story among a
// million comments and on a small one, and how fast comments can be posted. Reads and posts go through
// CommentService, the code the HTTP routes call; only the seeding writes to the tables directly.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openStorage, type Storage } from '../src/storage/db.js';
import type { CommentStatus, UserRow } from '../src/storage/schema.js';
import type { ThreadSort } from '../src/storage/comments.js';
import { renderMarkdown } from '../src/content/markdown.js';
import { DEFAULT_POLICY } from '../src/moderation/policy.js';
import { createContext } from '../src/server/context.js';
import { configFromEnv } from '../src/config.js';
import type { CommentService } from '../src/core/comments.js';
import { mulberry32 } from '../src/engine/training/random.js';

export type BenchDialect = 'sqlite' | 'postgres';

export interface ThreadBenchOptions {
  dialect: BenchDialect;
  /** Comments in the database in all, hot and small story included. */
  totalComments: number;
  /** Comments on the hot story. */
  hotComments: number;
  /** Comments on the small story. */
  smallComments: number;
  /**
   * Comments on a story of the shape (issue 14: "10 top-level comments and their 40 replies" on a first
   * page): every fifth comment top-level, the four after it replies to it, all published; 0 for no such story.
   */
  shapedComments?: number;
  users: number;
  /** Timed calls per measurement, after `warmup` untimed ones. */
  iterations: number;
  warmup: number;
  pageSize: number;
  /** Comments posted for the posting rate. */
  posts: number;
  /** Concurrent posters for the second posting measurement (PostgreSQL only). */
  concurrency: number;
  /** A PostgreSQL URL with the right to create and drop databases. */
  pgAdminUrl: string;
  log: (message: string) => void;
}

export const DEFAULT_THREAD_OPTIONS: Omit<ThreadBenchOptions, 'dialect' | 'log'> = {
  totalComments: 1_000_000,
  hotComments: 10_000,
  smallComments: 20,
  users: 5_000,
  iterations: 200,
  warmup: 20,
  pageSize: 20,
  posts: 2_000,
  concurrency: 8,
  pgAdminUrl: process.env.PARLEY_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
};

export interface Latency {
  story: 'hot' | 'small';
  page: string;
  sort: ThreadSort;
  viewer: 'anonymous' | 'signed in';
  /** Comments the page held (top-level and replies). */
  comments: number;
  p50: number;
  p99: number;
  mean: number;
}

export interface PostRate {
  concurrency: number;
  posts: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export interface ThreadBenchResult {
  dialect: BenchDialect;
  totalComments: number;
  hotComments: number;
  smallComments: number;
  hotTopLevel: number;
  seedSeconds: number;
  databaseBytes: number;
  latencies: Latency[];
  posting: PostRate[];
  totalSeconds: number;
}

// ---------------------------------------------------------------------------------------------------
// The data set: generated from a fixed seed, so both databases get the same comments.


const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const TEMPLATES = [
  'Good piece, thanks.',
  'I live two streets away from the site and nobody from the council ever asked us. The consultation was a formality.',
  'The numbers in the third paragraph do not add up: **40%** of 1,200 is 480, not 520. Can the newsroom check?',
  '> the scheme will pay for itself within ten years\n\nEvery scheme like this has promised the same, and I cannot think of one that did. See https://example.org/report-2019 for the last audit.',
  'Three things the article leaves out:\n\n1. who owns the land\n2. what the contract says about overruns\n3. why the vote was moved to August\n\nWithout those it reads like a press release.',
  'My daughter takes that bus every morning. Since the timetable change she has been late *four times* this month, and the school has started marking it. Nobody at the operator answers the phone; the email address on their site bounces. I would like to know who signed off on this and whether anyone rode the route before doing so.',
  'Agree with the comment above. The same happened in our town in 2015 and it took six years to undo.',
  'Honestly this is the best reporting on the subject I have read anywhere. It explains the background, quotes both sides fairly, and does not pretend the answer is simple. More of this, please — and less of the hourly live blogs that say nothing new. I would happily pay for the subscription if this is what it buys. One small correction: the minister was appointed in `March`, not April.',
];

interface Template {
  markdown: string;
  html: string;
}

const PENDING_REASONS = JSON.stringify([
  { code: 'suspect_word', message: 'The comment uses a word this site checks by hand; a moderator will look at it.', word: 'scam' },
]);
const REJECTED_REASONS = JSON.stringify([
  { code: 'banned_word', message: 'The comment uses a word this site does not allow.', word: 'xxxx' },
]);

/** Column order of the comments rows the generator produces. */
const COMMENT_COLUMNS = [
  'id', 'story_id', 'parent_id', 'root_id', 'depth', 'author_id', 'body_markdown', 'body_html', 'status',
  'reasons_json', 'scores_json', 'score', 'created_at', 'edited_at', 'deleted_at',
] as const;
type CommentTuple = [
  string, string, string | null, string, number, string, string, string, CommentStatus,
  string, string | null, number, number, number | null, number | null,
];
type VoteTuple = [string, string, number, number];

interface StoryState {
  id: string;
  /** Top-level comments that can be replied to, oldest first. */
  roots: string[];
  /** Replies that can be replied to, per top-level comment: [id, depth]. */
  replies: Map<string, Array<[string, number]>>;
  /** Whether votes rows are written for this story (the hot and the small one) or only scores. */
  votes: boolean;
}

/** The columns of a user the seeding writes; any later columns take their defaults. */
interface BenchUser {
  id: string;
  username: string;
  username_key: string;
  email: string | null;
  password_hash: string;
  role: 'commenter';
  created_at: number;
}

interface DataSet {
  siteId: string;
  users: BenchUser[];
  hot: StoryState;
  small: StoryState;
  /** The story of the shape, when asked for (shapedComments). */
  shaped: StoryState | null;
  fillers: StoryState[];
  stories: Array<{ id: string; url: string; title: string; published_at: number }>;
  start: number;
}

const SEED = 20261125;
const MAX_DEPTH = 8;
const DAY = 24 * 3600_000;

function planDataSet(options: ThreadBenchOptions, rand: () => number): DataSet {
  const id = () => {
    let s = '';
    for (let i = 0; i < 14; i++) s += ALPHABET[Math.floor(rand() * 36)];
    return s;
  };
  const start = Date.UTC(2026, 9, 1);
  const users: BenchUser[] = [];
  for (let i = 0; i < options.users; i++) {
    const username = `Reader${String(i).padStart(5, '0')}`;
    users.push({
      id: id(),
      username,
      username_key: username.toLowerCase(),
      email: null,
      // Nobody logs in during the benchmark: a placeholder, not an argon2 hash.
      password_hash: 'bench-no-login',
      role: 'commenter',
      created_at: start,
    });
  }
  const state = (votes: boolean): StoryState => ({ id: id(), roots: [], replies: new Map(), votes });
  const shapedComments = options.shapedComments ?? 0;
  const fillerComments = options.totalComments - options.hotComments - options.smallComments - shapedComments;
  const fillerCount = Math.max(1, Math.round(fillerComments / 500));
  const hot = state(true);
  const small = state(true);
  const fillers = Array.from({ length: fillerCount }, () => state(false));
  // Made last, so that without it every other id and story is the same as before it existed.
  const shaped = shapedComments > 0 ? state(true) : null;
  const stories = [hot, small, ...fillers].map((s, i) => ({
    id: s.id,
    url: `https://news.example/${i === 0 ? 'hot' : i === 1 ? 'small' : 'story'}/${i}`,
    title: i === 0 ? 'The hot story' : i === 1 ? 'A small story' : `Story ${i}`,
    published_at: start + Math.floor((i / (fillerCount + 2)) * 30 * DAY),
  }));
  if (shaped) stories.push({ id: shaped.id, url: 'https://news.example/shaped/0', title: "A story of the issue's shape", published_at: start });
  return { siteId: id(), users, hot, small, shaped, fillers, stories, start };
}

/** Yields the comments (and votes) in the order they were "posted", in batches. */
function* generateComments(
  options: ThreadBenchOptions,
  data: DataSet,
  rand: () => number,
  templates: Template[],
  batchSize: number,
): Generator<{ comments: CommentTuple[]; votes: VoteTuple[] }> {
  const id = () => {
    let s = '';
    for (let i = 0; i < 14; i++) s += ALPHABET[Math.floor(rand() * 36)];
    return s;
  };
  const n = options.totalComments;
  const span = 30 * DAY;
  const fillerTotal = n - options.hotComments - options.smallComments - (options.shapedComments ?? 0);
  let hotLeft = options.hotComments;
  let smallLeft = options.smallComments;
  let shapedLeft = data.shaped ? options.shapedComments! : 0;
  let shapedDone = 0;
  let fillerDone = 0;
  let comments: CommentTuple[] = [];
  let votes: VoteTuple[] = [];
  const users = data.users;

  const voteCount = () => {
    const r = rand();
    if (r < 0.5) return 0;
    if (r < 0.8) return 1 + Math.floor(rand() * 3);
    if (r < 0.97) return 4 + Math.floor(rand() * 20);
    return 24 + Math.floor(rand() * 150);
  };

  for (let i = 0; i < n; i++) {
    // Selection sampling: exactly hotComments and smallComments of the stream, spread over the month.
    const left = n - i;
    let story: StoryState;
    const pick = rand() * left;
    if (pick < hotLeft) {
      story = data.hot;
      hotLeft--;
    } else if (pick < hotLeft + smallLeft) {
      story = data.small;
      smallLeft--;
    } else if (pick < hotLeft + smallLeft + shapedLeft) {
      story = data.shaped!;
      shapedLeft--;
    } else {
      // Filler stories follow one another in time, a few of them open at once.
      const base = Math.floor((fillerDone / Math.max(1, fillerTotal)) * data.fillers.length);
      const index = Math.min(data.fillers.length - 1, Math.max(0, base + Math.floor(rand() * 5) - 2));
      story = data.fillers[index]!;
      fillerDone++;
    }

    const commentId = id();
    const author = users[Math.floor(rand() * users.length)]!;
    let parentId: string | null = null;
    let rootId = commentId;
    let depth = 0;
    const shaped = story === data.shaped;
    if (shaped) {
      // The shape: a top-level comment, then four replies to it.
      if (shapedDone++ % 5 !== 0) {
        rootId = parentId = story.roots[story.roots.length - 1]!;
        depth = 1;
      }
    } else if (story.roots.length > 0 && rand() >= 0.3) {
      // Replies go mostly to recent top-level comments, some of which gather long subtrees.
      const r = rand();
      const root = story.roots[story.roots.length - 1 - Math.floor(Math.min(story.roots.length, 400) * r * r)]!;
      const under = story.replies.get(root) ?? [];
      rootId = root;
      if (under.length > 0 && rand() < 0.45) {
        const [pid, pdepth] = under[Math.floor(rand() * under.length)]!;
        parentId = pid;
        depth = pdepth + 1;
      } else {
        parentId = root;
        depth = 1;
      }
    }

    const roll = rand();
    const status: CommentStatus = shaped || roll >= 0.03 ? 'published' : roll < 0.02 ? 'pending' : 'rejected';
    const deleted = !shaped && status === 'published' && roll > 0.995;
    const template = templates[Math.floor(rand() * templates.length)]!;
    const createdAt = data.start + Math.floor((i / n) * span);

    let score = 0;
    if (status === 'published') {
      const k = voteCount();
      if (story.votes && k > 0) {
        const voters = new Set<number>();
        while (voters.size < Math.min(k, users.length - 1)) {
          const u = Math.floor(rand() * users.length);
          if (users[u]!.id !== author.id) voters.add(u);
        }
        for (const u of voters) {
          const value = rand() < 0.8 ? 1 : -1;
          score += value;
          votes.push([commentId, users[u]!.id, value, createdAt + 60_000]);
        }
      } else {
        for (let v = 0; v < k; v++) score += rand() < 0.8 ? 1 : -1;
      }
    }

    comments.push([
      commentId,
      story.id,
      parentId,
      rootId,
      depth,
      author.id,
      deleted ? '' : template.markdown,
      deleted ? '' : template.html,
      status,
      status === 'pending' ? PENDING_REASONS : status === 'rejected' ? REJECTED_REASONS : '[]',
      null,
      score,
      createdAt,
      null,
      deleted ? createdAt + 3600_000 : null,
    ]);

    if (status === 'published' && !deleted) {
      if (depth === 0) {
        story.roots.push(commentId);
        story.replies.set(commentId, []);
      } else if (depth < MAX_DEPTH) {
        story.replies.get(rootId)!.push([commentId, depth]);
      }
    }

    if (comments.length >= batchSize) {
      yield { comments, votes };
      comments = [];
      votes = [];
    }
  }
  if (comments.length > 0) yield { comments, votes };
}

// ---------------------------------------------------------------------------------------------------
// Seeding: straight into the tables, in large transactions. Not what is measured.

interface Seeder {
  site(row: { id: string; name: string; policy_json: string; created_at: number }): Promise<void>;
  users(rows: BenchUser[]): Promise<void>;
  stories(rows: Array<Record<string, unknown>>): Promise<void>;
  batch(comments: CommentTuple[], votes: VoteTuple[]): Promise<void>;
  finish(): Promise<void>;
}

/**
 * Later migrations may give comments a copy of their story's site (site_id); when the column is there,
 * the seeding fills it. Other added columns are expected to be nullable or to have defaults.
 */
function commentColumns(existing: string[]): { columns: string[]; withSite: boolean } {
  const withSite = existing.includes('site_id');
  return { columns: [...COMMENT_COLUMNS, ...(withSite ? ['site_id'] : [])], withSite };
}

function sqliteSeeder(file: string, siteId: string): Seeder {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  db.pragma('foreign_keys = ON');
  // Secondary indexes are built once after the load rather than row by row: the same definitions, read
  // back from the schema the migrations made, so they stay whatever the migrations say.
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('comments', 'votes') AND sql IS NOT NULL")
    .all() as Array<{ name: string; sql: string }>;
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  const existing = (db.prepare('PRAGMA table_info(comments)').all() as Array<{ name: string }>).map((c) => c.name);
  const { columns, withSite } = commentColumns(existing);
  const insertComment = db.prepare(
    `INSERT INTO comments (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const insertVote = db.prepare('INSERT INTO votes (comment_id, user_id, value, created_at) VALUES (?, ?, ?, ?)');
  const insertUser = db.prepare(
    'INSERT INTO users (id, username, username_key, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertStory = db.prepare(
    `INSERT INTO stories (id, site_id, url, title, byline, source, image_url, image_caption, body, published_at, created_at)
     VALUES (@id, @site_id, @url, @title, NULL, NULL, NULL, NULL, NULL, @published_at, @created_at)`,
  );
  const comments = db.transaction((rows: CommentTuple[], votes: VoteTuple[]) => {
    for (const row of rows) insertComment.run(withSite ? [...row, siteId] : row);
    for (const vote of votes) insertVote.run(vote);
  });
  return {
    async site(row) {
      db.prepare('INSERT INTO sites (id, name, policy_json, created_at) VALUES (?, ?, ?, ?)').run(
        row.id, row.name, row.policy_json, row.created_at,
      );
    },
    async users(rows) {
      db.transaction(() => {
        for (const u of rows) insertUser.run(u.id, u.username, u.username_key, u.email, u.password_hash, u.role, u.created_at);
      })();
    },
    async stories(rows) {
      db.transaction(() => {
        for (const s of rows) insertStory.run(s);
      })();
    },
    async batch(rows, votes) {
      comments(rows, votes);
    },
    async finish() {
      for (const index of indexes) db.exec(index.sql);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

const PG_TYPES: Record<(typeof COMMENT_COLUMNS)[number], string> = {
  id: 'text', story_id: 'text', parent_id: 'text', root_id: 'text', depth: 'int', author_id: 'text',
  body_markdown: 'text', body_html: 'text', status: 'text', reasons_json: 'text', scores_json: 'text',
  score: 'int', created_at: 'bigint', edited_at: 'bigint', deleted_at: 'bigint',
};

/** Columns of rows as arrays, for INSERT ... SELECT FROM unnest(): one statement, any number of rows. */
function columnsOf<T extends unknown[]>(rows: T[], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < width; c++) columns[c]![r] = row[c];
  }
  return columns;
}

async function postgresSeeder(url: string, siteId: string): Promise<Seeder> {
  const client = new pg.Client({ connectionString: url });
  // A lost connection also fails the query in flight, which is what stops the seeding.
  client.on('error', () => {});
  await client.connect();
  await client.query('SET synchronous_commit = off');
  await client.query("SET maintenance_work_mem = '256MB'");
  // Secondary indexes are built once after the load rather than row by row (see sqliteSeeder); indexes
  // behind primary keys and unique constraints stay, so the load is checked as the application's is.
  const indexes = (
    await client.query<{ name: string; definition: string }>(
      `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename IN ('comments', 'votes')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
    )
  ).rows;
  for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
  const existing = await client.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'comments'",
  );
  const { columns, withSite } = commentColumns(existing.rows.map((r) => r.column_name));
  const types: Record<string, string> = { ...PG_TYPES, site_id: 'text' };
  const commentSql =
    `INSERT INTO comments (${columns.join(', ')}) SELECT * FROM unnest(` +
    columns.map((c, i) => `$${i + 1}::${types[c]}[]`).join(', ') +
    ')';
  const voteSql =
    'INSERT INTO votes (comment_id, user_id, value, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])';
  return {
    async site(row) {
      await client.query('INSERT INTO sites (id, name, policy_json, created_at) VALUES ($1, $2, $3, $4)', [
        row.id, row.name, row.policy_json, row.created_at,
      ]);
    },
    async users(rows) {
      const tuples = rows.map((u) => [u.id, u.username, u.username_key, u.email, u.password_hash, u.role, u.created_at]);
      await client.query(
        `INSERT INTO users (id, username, username_key, email, password_hash, role, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])`,
        columnsOf(tuples, 7),
      );
    },
    async stories(rows) {
      const tuples = rows.map((s) => [s.id, s.site_id, s.url, s.title, s.published_at, s.created_at]);
      await client.query(
        `INSERT INTO stories (id, site_id, url, title, published_at, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])`,
        columnsOf(tuples, 6),
      );
    },
    async batch(rows, votes) {
      await client.query('BEGIN');
      const values = columnsOf(rows, COMMENT_COLUMNS.length);
      if (withSite) values.push(new Array(rows.length).fill(siteId));
      await client.query(commentSql, values);
      if (votes.length > 0) await client.query(voteSql, columnsOf(votes, 4));
      await client.query('COMMIT');
    },
    async finish() {
      for (const index of indexes) await client.query(index.definition);
      // A database in service has been vacuumed and analyzed by autovacuum; a fresh bulk load has not.
      await client.query('VACUUM ANALYZE');
      await client.end();
    },
  };
}

type MakeSeeder = (siteId: string) => Seeder | Promise<Seeder>;

async function seed(options: ThreadBenchOptions, makeSeeder: MakeSeeder): Promise<DataSet> {
  options.log(`  seeding ${options.totalComments.toLocaleString('en-US')} comments`);
  const rand = mulberry32(SEED);
  const data = planDataSet(options, rand);
  const seeder = await makeSeeder(data.siteId);
  const templates = TEMPLATES.map((markdown) => ({ markdown, html: renderMarkdown(markdown) }));
  await seeder.site({ id: data.siteId, name: 'Bench News', policy_json: JSON.stringify(DEFAULT_POLICY), created_at: data.start });
  await seeder.users(data.users);
  await seeder.stories(
    data.stories.map((s) => ({ ...s, site_id: data.siteId, created_at: s.published_at })),
  );
  let done = 0;
  let lastReport = Date.now();
  const batchSize = options.dialect === 'sqlite' ? 50_000 : 10_000;
  for (const { comments, votes } of generateComments(options, data, rand, templates, batchSize)) {
    await seeder.batch(comments, votes);
    await breathe();
    done += comments.length;
    if (Date.now() - lastReport > 10_000) {
      options.log(`  seeded ${done.toLocaleString('en-US')} / ${options.totalComments.toLocaleString('en-US')} comments`);
      lastReport = Date.now();
    }
  }
  await seeder.finish();
  return data;
}

/**
 * Seeds an existing, migrated database with the benchmark's data set and leaves it there, to look at
 * query plans by hand. Returns the ids of the hot and the small story.
 */
export async function seedForInspection(location: string, options: ThreadBenchOptions) {
  const data = await seed(options, (siteId) =>
    options.dialect === 'sqlite' ? sqliteSeeder(location, siteId) : postgresSeeder(location, siteId),
  );
  return { hotStoryId: data.hot.id, smallStoryId: data.small.id, shapedStoryId: data.shaped?.id ?? null, readerId: data.users[1]!.id };
}

// ---------------------------------------------------------------------------------------------------
// Measuring.

/**
 * Lets timers and signal handlers run. better-sqlite3 answers synchronously, so a loop of SQLite
 * queries never returns to the event loop by itself, and Ctrl-C would wait for the end of the run.
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

function countComments(view: Awaited<ReturnType<CommentService['thread']>>): number {
  const count = (c: { replies: Array<{ replies: unknown[] }> }): number =>
    1 + c.replies.reduce((sum, r) => sum + count(r as { replies: Array<{ replies: unknown[] }> }), 0);
  return view.comments.reduce((sum, c) => sum + count(c), 0);
}

interface ReadCase {
  story: 'hot' | 'small';
  page: string;
  sort: ThreadSort;
  viewer: UserRow | null;
  storyId: string;
  cursor: string | null;
}

/** Follows nextCursor from the first page to the end; returns the cursor of every page. */
async function pageCursors(service: CommentService, storyId: string, sort: ThreadSort, limit: number) {
  const cursors: Array<string | null> = [null];
  let cursor: string | null = null;
  for (;;) {
    const view = await service.thread(storyId, null, { sort, limit, cursor });
    await breathe();
    if (!view.nextCursor) break;
    cursor = view.nextCursor;
    cursors.push(cursor);
  }
  return cursors;
}

/**
 * Times every case once per round, round after round, so that a burst of load on the machine falls on
 * all cases alike instead of on whichever was being measured at the time.
 */
async function measureReads(
  service: CommentService,
  data: DataSet,
  users: UserRow[],
  options: ThreadBenchOptions,
): Promise<Latency[]> {
  const cases: ReadCase[] = [];
  for (const sort of ['oldest', 'newest', 'top'] as const) {
    const cursors = await pageCursors(service, data.hot.id, sort, options.pageSize);
    // The second-to-last page is the deepest one that is sure to be full.
    const deep = Math.max(0, cursors.length - 2);
    const hot = { story: 'hot' as const, sort, viewer: null, storyId: data.hot.id };
    cases.push({ ...hot, page: `first (1 of ${cursors.length})`, cursor: null });
    cases.push({ ...hot, page: `deep (${deep + 1} of ${cursors.length})`, cursor: cursors[deep]! });
    cases.push({ story: 'small', page: 'first (1 of 1)', sort, viewer: null, storyId: data.small.id, cursor: null });
  }
  // A signed-in reader: their own held comments are shown, and their votes looked up for the page.
  cases.push({ story: 'hot', page: 'first', sort: 'oldest', viewer: users[1]!, storyId: data.hot.id, cursor: null });

  const read = (c: ReadCase) => service.thread(c.storyId, c.viewer, { sort: c.sort, limit: options.pageSize, cursor: c.cursor });
  const sizes: number[] = [];
  for (const c of cases) {
    await breathe();
    for (let i = 0; i < options.warmup; i++) await read(c);
    sizes.push(countComments(await read(c)));
  }
  const samples: number[][] = cases.map(() => []);
  for (let round = 0; round < options.iterations; round++) {
    await breathe();
    for (let i = 0; i < cases.length; i++) {
      const t0 = performance.now();
      await read(cases[i]!);
      samples[i]!.push(performance.now() - t0);
    }
  }
  return cases.map((c, i) => {
    const sorted = samples[i]!.sort((a, b) => a - b);
    const latency: Latency = {
      story: c.story,
      page: c.page,
      sort: c.sort,
      viewer: c.viewer ? 'signed in' : 'anonymous',
      comments: sizes[i]!,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    };
    options.log(`  ${c.story} ${c.sort} ${latency.page} ${latency.viewer}: p50 ${ms(latency.p50)} ms, p99 ${ms(latency.p99)} ms`);
    return latency;
  });
}

async function measurePosting(
  service: CommentService,
  data: DataSet,
  users: UserRow[],
  options: ThreadBenchOptions,
  concurrency: number,
  tag: number,
): Promise<PostRate> {
  const rand = mulberry32(SEED + tag);
  const parents = data.hot.roots;
  const samples: number[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= options.posts) return;
      if (i % 100 === 0) await breathe();
      const author = users[Math.floor(rand() * users.length)]!;
      const parentId = rand() < 0.3 || parents.length === 0 ? null : parents[Math.floor(rand() * parents.length)]!;
      const body = `${TEMPLATES[i % TEMPLATES.length]!}\n\n(bench post ${tag}-${i})`;
      const t0 = performance.now();
      await service.post(author, data.hot.id, body, parentId);
      samples.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  samples.sort((a, b) => a - b);
  return {
    concurrency,
    posts: options.posts,
    perSecond: options.posts / seconds,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
  };
}

async function measure(storage: Storage, data: DataSet, options: ThreadBenchOptions) {
  const { comments } = createContext(storage, configFromEnv(), null);
  const hotTopLevel = await storage.db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('story_id', '=', data.hot.id)
    .where('depth', '=', 0)
    .executeTakeFirstOrThrow();
  // The users as the application reads them, with every column the current schema has.
  const rows = await storage.db.selectFrom('users').selectAll().execute();
  const byId = new Map(rows.map((u) => [u.id, u]));
  const users = data.users.map((u) => byId.get(u.id)!);
  options.log('  reading pages');
  const latencies = await measureReads(comments, data, users, options);
  options.log('  posting');
  const posting = [await measurePosting(comments, data, users, options, 1, 1)];
  if (storage.dialect === 'postgres' && options.concurrency > 1) {
    posting.push(await measurePosting(comments, data, users, options, options.concurrency, 2));
  }
  return { latencies, posting, hotTopLevel: Number(hotTopLevel.n) };
}

// ---------------------------------------------------------------------------------------------------

export async function runThreadBench(options: ThreadBenchOptions): Promise<ThreadBenchResult> {
  if (options.hotComments + options.smallComments > options.totalComments) {
    throw new Error('--comments must be at least --hot plus the small story');
  }
  const started = performance.now();
  const base = {
    dialect: options.dialect,
    totalComments: options.totalComments,
    hotComments: options.hotComments,
    smallComments: options.smallComments,
  };
  if (options.dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    const file = join(dir, 'bench.sqlite');
    const onSignal = () => {
      options.log(`interrupted: removing ${dir}`);
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      options.log(`SQLite: ${file}`);
      const fresh = await openStorage({ location: file });
      await fresh.close();
      const t0 = performance.now();
      const data = await seed(options, (siteId) => sqliteSeeder(file, siteId));
      const seedSeconds = (performance.now() - t0) / 1000;
      options.log(`  seeded in ${seedSeconds.toFixed(1)} s`);
      const databaseBytes = statSync(file).size;
      const storage = await openStorage({ location: file });
      try {
        const measured = await measure(storage, data, options);
        return { ...base, ...measured, seedSeconds, databaseBytes, totalSeconds: (performance.now() - started) / 1000 };
      } finally {
        await storage.close();
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const name = `parley_bench_${randomBytes(6).toString('hex')}`;
  const adminUrl = new URL(options.pgAdminUrl);
  const benchUrl = new URL(options.pgAdminUrl);
  benchUrl.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const drop = async () => {
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  const onSignal = () => {
    options.log(`interrupted: dropping ${name}`);
    // DROP ... WITH (FORCE) ends the benchmark's own sessions, whose clients then report the lost
    // connection; the process is on its way out, so those reports are expected and not fatal.
    process.on('uncaughtException', (error) => options.log(`  (while dropping: ${error.message})`));
    drop()
      .catch((error: unknown) => options.log(`could not drop ${name}: ${String(error)}; drop it by hand`))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    options.log(`PostgreSQL: database ${name}`);
    const fresh = await openStorage({ location: benchUrl.toString() });
    await fresh.close();
    const t0 = performance.now();
    const data = await seed(options, (siteId) => postgresSeeder(benchUrl.toString(), siteId));
    const seedSeconds = (performance.now() - t0) / 1000;
    options.log(`  seeded in ${seedSeconds.toFixed(1)} s`);
    const storage = await openStorage({ location: benchUrl.toString() });
    try {
      const size = await storage.db
        .selectNoFrom((eb) => eb.fn<number>('pg_database_size', [eb.val(name)]).as('bytes'))
        .executeTakeFirstOrThrow();
      const measured = await measure(storage, data, options);
      return {
        ...base,
        ...measured,
        seedSeconds,
        databaseBytes: Number(size.bytes),
        totalSeconds: (performance.now() - started) / 1000,
      };
    } finally {
      await storage.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await drop();
    options.log(`  dropped ${name}`);
  }
}

const ms = (value: number) => value.toFixed(2);

export function formatThreadResults(results: ThreadBenchResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const name = r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    lines.push(
      `### ${name}: ${r.totalComments.toLocaleString('en-US')} comments, hot story ${r.hotComments.toLocaleString('en-US')} ` +
        `(${r.hotTopLevel.toLocaleString('en-US')} top-level), small story ${r.smallComments}`,
      '',
      `Seeded in ${r.seedSeconds.toFixed(1)} s; database ${(r.databaseBytes / 1024 / 1024).toFixed(0)} MiB; ` +
        `whole run ${r.totalSeconds.toFixed(1)} s.`,
      '',
      '| Story | Page | Sort | Reader | Comments on page | p50 ms | p99 ms | mean ms |',
      '|---|---|---|---|---:|---:|---:|---:|',
    );
    for (const l of r.latencies) {
      lines.push(`| ${l.story} | ${l.page} | ${l.sort} | ${l.viewer} | ${l.comments} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.mean)} |`);
    }
    lines.push('', '| Posting | Comments | Comments/s | p50 ms | p99 ms |', '|---|---:|---:|---:|---:|');
    for (const p of r.posting) {
      const who = p.concurrency === 1 ? 'sequential' : `${p.concurrency} concurrent posters`;
      lines.push(`| ${who} | ${p.posts} | ${p.perSecond.toFixed(0)} | ${ms(p.p50)} | ${ms(p.p99)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
