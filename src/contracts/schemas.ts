// Every JSON shape of the API, request and response, as TypeBox values: the one description of each. The server
// validates requests and serializes responses with them and publishes them as its OpenAPI document; the
// TypeScript types in api.ts are derived from them (Static<>), and the console imports those types.
//
// Responses are serialized by Fastify from these schemas: a property a response schema leaves out is not sent,
// and a required one must be there. Shared models carry an $id and are referred to with refTo().
import { Type, type Static, type TSchema } from 'typebox';
import { LABELS } from '../engine/labels.js';
import type { Label, LabelScores } from '../engine/labels.js';
import { COMMENT_BODY_MAX, POLICY_LIMITS, REPORT_REASONS, USERNAME_PATTERN } from './limits.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
/** One of a fixed list of strings, described as responses describe it (a string with an enum). */
const oneOf = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
/** A string typed as one of a list, described as a plain string (the list may grow without breaking readers). */
const stringOf = <T extends string>() => Type.Unsafe<T>({ type: 'string' });

/** A reference to a shared model by its $id, typed as the model. */
export const refTo = <T extends TSchema>(model: T) => Type.Unsafe<Static<T>>({ $ref: `${(model as { $id?: string }).$id}#` });

// ---------------------------------------------------------------------------------------------------------------
// Common pieces

export const Id = Type.String({ pattern: '^[0-9a-z]{1,32}$', description: 'An id this server gave out' });
export const IdParams = Type.Object({ id: Id });
/** An opaque page cursor, as the previous page gave it. */
export const Cursor = Type.String({ minLength: 1, maxLength: 200 });
/** A moderator's or admin's reason for an action, in their own words (the author or the log shows it). */
export const ReasonText = Type.String({ minLength: 1, maxLength: 1000 });
export const Username = Type.String({ minLength: 2, maxLength: 30, pattern: USERNAME_PATTERN });
export const Password = Type.String({ minLength: 1, maxLength: 200 });
export const CommentBody = Type.String({ minLength: 1, maxLength: COMMENT_BODY_MAX });
/** A label in a request: one of LABELS. */
export const LabelName = Type.Union(LABELS.map((l) => Type.Literal(l)));
export const CommentStatus = oneOf(['published', 'pending', 'rejected'] as const);
export const Role = oneOf(['commenter', 'moderator', 'admin'] as const);
export const UserStatus = oneOf(['active', 'banned', 'suspended'] as const);
export const QueueName = oneOf(['pending', 'reported', 'rejected', 'approved', 'all'] as const);
export const QueueSort = oneOf(['severity', 'newest', 'oldest', 'score'] as const);
export const ThreadSort = oneOf(['oldest', 'newest', 'top'] as const);
export const ReportReason = oneOf(REPORT_REASONS);

/** The classifier's score per label (a probability), or null when the text was not scored. */
export const Scores = Type.Unsafe<LabelScores | null>({
  anyOf: [{ type: 'object', additionalProperties: { type: 'number' } }, { type: 'null' }],
});
/** A stretch of the text that raised a label's score: UTF-16 offsets into the text as written, end exclusive. */
export const Span = Type.Object({ start: Type.Integer(), end: Type.Integer(), label: stringOf<Label>(), weight: Type.Number() });
/** Labels a moderator confirmed (true: it applies) or corrected (false: it does not); a label left out is undecided. */
export const LabelSet = Type.Object(Object.fromEntries(LABELS.map((l) => [l, Type.Optional(Type.Boolean())])) as Record<Label, ReturnType<typeof Type.Optional<ReturnType<typeof Type.Boolean>>>>, {
  additionalProperties: false,
});
export const LabelPolicy = Type.Object(
  { hold: Type.Number({ minimum: POLICY_LIMITS.threshold.min, maximum: POLICY_LIMITS.threshold.max }), reject: Type.Number({ minimum: POLICY_LIMITS.threshold.min, maximum: POLICY_LIMITS.threshold.max }) },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------------------------
// Shared models ($id): the error shape, accounts, the moderation step's reasons, comments, stories

export const ErrorModel = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { $id: 'Error' },
);

export const UserModel = Type.Object(
  { id: Type.String(), username: Type.String(), email: Nullable(Type.String()), role: Role, createdAt: DateTime },
  { $id: 'User' },
);

export const REASON_CODES = [
  'too_long',
  'too_many_links',
  'banned_word',
  'suspect_word',
  'classifier_reject',
  'classifier_hold',
  'pre_moderation',
  'moderator_rejected',
  'check_failed',
] as const;

/** Why the moderation step (or a moderator) held or rejected a comment. */
export const ReasonModel = Type.Object(
  {
    code: stringOf<(typeof REASON_CODES)[number]>(),
    message: Type.String(),
    label: Type.Optional(stringOf<Label>()),
    score: Type.Optional(Type.Number()),
    word: Type.Optional(Type.String()),
  },
  { $id: 'Reason' },
);

/** A comment as a reader sees it, without its replies (CommentModel adds them). */
export const CommentFields = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  /** Null once the comment is deleted: the placeholder keeps the thread's shape, not its author. */
  author: Nullable(Type.Object({ id: Type.String(), username: Type.String() })),
  bodyHtml: Type.String({ description: 'Sanitized HTML rendered from the Markdown body' }),
  status: CommentStatus,
  deleted: Type.Boolean(),
  /** Picked out by a moderator. */
  featured: Type.Boolean(),
  score: Type.Integer(),
  createdAt: DateTime,
  editedAt: Nullable(DateTime),
  source: Type.Optional(Type.String({ description: "The Markdown source; only on the viewer's own comments" })),
  reasons: Type.Optional(Type.Array(refTo(ReasonModel), { description: "Only on the viewer's own held or rejected comments" })),
  /** The reader's own vote on it: 1, -1 or 0. */
  myVote: Type.Integer({ enum: [-1, 0, 1] }),
  /** Set on a top-level comment whose replies were not all loaded. */
  moreReplies: Type.Optional(Type.Boolean()),
});

/** A comment with the replies loaded under it, each a comment of the same shape. */
export type CommentTree = Static<typeof CommentFields> & { replies: CommentTree[] };
/** A reference to the Comment model (recursive, so typed by hand as the fields plus their replies). */
const commentRef = Type.Unsafe<CommentTree>({ $ref: 'Comment#' });

export const CommentModel = Type.Object({ ...CommentFields.properties, replies: Type.Array(commentRef) }, { $id: 'Comment' });

export const StoryModel = Type.Object(
  {
    id: Type.String(),
    siteId: Type.String(),
    url: Type.String(),
    title: Type.String(),
    byline: Nullable(Type.String()),
    source: Nullable(Type.String()),
    imageUrl: Nullable(Type.String()),
    imageCaption: Nullable(Type.String()),
    body: Nullable(Type.String()),
    publishedAt: DateTime,
    createdAt: DateTime,
  },
  { $id: 'Story' },
);

/** The models registered with the server by $id, so that refTo() finds them. */
export const SHARED_MODELS = [ErrorModel, UserModel, ReasonModel, CommentModel, StoryModel];

/** The error responses a route documents, beside its success response. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, refTo(ErrorModel)]));
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts

export const SignupBody = Type.Object(
  { username: Username, email: Type.String({ format: 'email', maxLength: 254 }), password: Password },
  { additionalProperties: false },
);
export const LoginBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Password }, { additionalProperties: false });
/** Sign-up, log-in and GET /api/me answer with the account; the CSRF token comes with a session (not with a bearer token). */
export const SessionResponse = Type.Object({
  user: refTo(UserModel),
  csrfToken: Type.Optional(Type.String({ description: 'Send as X-CSRF-Token on cookie-authenticated writes' })),
});

// ---------------------------------------------------------------------------------------------------------------
// Stories

const Text = (max: number) => Type.String({ maxLength: max });
export const StoryBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    title: Type.String({ minLength: 1, maxLength: 300 }),
    byline: Type.Optional(Text(200)),
    source: Type.Optional(Text(200)),
    imageUrl: Type.Optional(Text(2000)),
    imageCaption: Type.Optional(Text(1000)),
    body: Type.Optional(Text(200_000)),
    publishedAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 date and time' })),
    siteId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------------------------
// Comments

export const ThreadQuery = Type.Object({
  sort: Type.Optional(Type.Union([Type.Literal('oldest'), Type.Literal('newest'), Type.Literal('top')], { default: 'oldest' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Cursor),
});
export const ThreadPage = Type.Object({ comments: Type.Array(commentRef), nextCursor: Nullable(Type.String()) });

export const RepliesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Cursor),
});
export const RepliesPage = Type.Object({ replies: Type.Array(commentRef), nextCursor: Nullable(Type.String()) });

export const PostCommentBody = Type.Object({ body: CommentBody, parentId: Type.Optional(Type.Union([Id, Type.Null()])) }, { additionalProperties: false });
export const EditCommentBody = Type.Object({ body: CommentBody }, { additionalProperties: false });
/** Posting and editing answer with the moderation step's decision and the comment as its author sees it. */
export const PostResult = Type.Object({
  id: Type.String(),
  status: CommentStatus,
  reasons: Type.Array(refTo(ReasonModel)),
  comment: commentRef,
});

export const VoteBody = Type.Object(
  { value: Type.Union([Type.Literal(1), Type.Literal(-1), Type.Literal(0)], { description: '1, -1 or 0' }) },
  { additionalProperties: false },
);
export const VoteResult = Type.Object({ score: Type.Integer(), myVote: Type.Integer() });

export const ReportBody = Type.Object(
  { reason: Type.Union(REPORT_REASONS.map((r) => Type.Literal(r))), note: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export const ReportResult = Type.Object({ reported: Type.Boolean() });

/** POST /api/moderation/check: the dry run behind the nudge. */
export const CheckBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 20_000 }), storyId: Type.Optional(Id) }, { additionalProperties: false });
export const CheckResult = Type.Object({
  decision: CommentStatus,
  scores: Scores,
  spans: Type.Array(Span),
  reasons: Type.Array(refTo(ReasonModel)),
});

// ---------------------------------------------------------------------------------------------------------------
// Moderation: queues, decisions, dashboard, audit log

export const QueueQuery = Type.Object({
  queue: Type.Optional(Type.Union(['pending', 'reported', 'rejected', 'approved', 'all'].map((q) => Type.Literal(q)), { default: 'pending' })),
  siteId: Type.Optional(Id),
  storyId: Type.Optional(Id),
  label: Type.Optional(LabelName),
  sort: Type.Optional(
    Type.Union([Type.Literal('severity'), Type.Literal('newest'), Type.Literal('oldest'), Type.Literal('score')], {
      description:
        'severity: threats and calls for violence first (each label has a rank, then its score; see docs/moderation.md); ' +
        'the default for the pending queue, newest for the others',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  cursor: Type.Optional(Cursor),
});

/** One item of GET /api/moderation/queue: a comment with what a moderator needs to decide on it. */
export const QueueItem = Type.Object({
  comment: Type.Object({
    id: Type.String(),
    storyId: Type.String(),
    parentId: Nullable(Type.String()),
    text: Type.String({ description: 'The text as written; spans are UTF-16 offsets into it' }),
    bodyHtml: Type.String(),
    status: CommentStatus,
    createdAt: DateTime,
    editedAt: Nullable(Type.String()),
    featured: Type.Boolean(),
    openReports: Type.Integer(),
    reasons: Type.Array(refTo(ReasonModel)),
    scores: Scores,
    spans: Type.Array(Span),
    flaggedLabels: Type.Array(Type.String()),
    labelDecisions: Type.Object(LabelSet.properties, {
      additionalProperties: false,
      description: 'Labels a moderator confirmed (true) or corrected (false) on this comment',
    }),
    severity: Type.Integer({ minimum: 0, description: 'The rank of the most severe flagged label (threat highest), 0 when none; see docs/moderation.md' }),
    moderation: Type.Object({ by: Nullable(Type.String()), at: Nullable(Type.String()), reason: Nullable(Type.String()) }),
  }),
  story: Type.Object({ id: Type.String(), title: Type.String() }),
  parent: Nullable(Type.Object({ id: Type.String(), author: Nullable(Type.String()), bodyHtml: Type.String() })),
  author: Type.Object({
    id: Type.String(),
    username: Type.String(),
    createdAt: DateTime,
    status: UserStatus,
    suspendedUntil: Nullable(Type.String()),
    published: Type.Integer(),
    pending: Type.Integer(),
    rejected: Type.Integer(),
    /** Published comments that a moderator approved. */
    approvedByModerator: Type.Integer(),
  }),
  reports: Type.Array(Type.Object({ reason: stringOf<(typeof REPORT_REASONS)[number]>(), note: Nullable(Type.String()), createdAt: Type.String() })),
});
export const QueuePage = Type.Object({ items: Type.Array(QueueItem), nextCursor: Nullable(Type.String()) });

export const SiteQuery = Type.Object({ siteId: Type.Optional(Id) });
export const Counts = Type.Object({ pending: Type.Integer(), reported: Type.Integer() });

export const ApproveBody = Type.Optional(
  Type.Object({ reason: Type.Optional(ReasonText), featured: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
);
export const RejectBody = Type.Object({ reason: ReasonText }, { additionalProperties: false });
export const FeatureBody = Type.Optional(Type.Object({ featured: Type.Optional(Type.Boolean()) }, { additionalProperties: false }));
/** Approve, reject and feature answer with this. */
export const ActionResult = Type.Object({
  id: Type.String(),
  status: CommentStatus,
  featured: Type.Boolean(),
  moderationReason: Nullable(Type.String()),
});

/** PUT /api/moderation/comments/:id/labels: the labels to set; the others keep their decision. */
export const LabelsBody = Type.Object(
  { labels: Type.Object(LabelSet.properties, { additionalProperties: false, minProperties: 1 }) },
  { additionalProperties: false },
);
/** A comment's label decisions after the change. */
export const LabelDecisions = Type.Object({ id: Type.String(), labels: LabelSet });

export const BulkBody = Type.Object(
  {
    action: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    ids: Type.Array(Id, { minItems: 1, maxItems: 200 }),
    reason: Type.Optional(ReasonText),
  },
  { additionalProperties: false },
);
export const BulkResult = Type.Object({
  results: Type.Array(
    Type.Object(
      {
        id: Type.String(),
        ok: Type.Boolean(),
        status: Type.Optional(Type.String()),
        error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
      },
      { additionalProperties: true },
    ),
  ),
});

export const StatsQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) });
/** GET /api/moderation/stats */
export const Stats = Type.Object({
  /** The staff member's site; null for staff of every site, whose figures cover every site. */
  siteId: Nullable(Type.String()),
  days: Type.Array(
    Type.Object({ date: Type.String(), total: Type.Integer(), published: Type.Integer(), pending: Type.Integer(), rejected: Type.Integer() }),
  ),
  holdRate: Type.Number(),
  rejectRate: Type.Number(),
  /** Comments flagged per label: every label is there, but the server declares a plain string map. */
  labels: Type.Unsafe<Record<string, number>>({ type: 'object', additionalProperties: { type: 'integer' } }),
});

export const AuditQuery = Type.Object({ cursor: Type.Optional(Cursor), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });
/** One entry of GET /api/moderation/audit. */
export const AuditEntry = Type.Object({
  id: Type.String(),
  siteId: Nullable(Type.String()),
  actor: Type.Object({ id: Type.String(), username: Nullable(Type.String()) }),
  action: Type.String({
    description:
      'comment.approve, comment.approve_and_feature, comment.reject, comment.feature, comment.unfeature, user.ban, user.suspend, user.unban, user.role, site.policy, site.origins',
  }),
  /** For a comment that still exists: its story and the first 140 characters of its text as written. */
  target: Type.Object({
    type: oneOf(['comment', 'user', 'site'] as const),
    id: Type.String(),
    storyId: Type.Optional(Type.String({ description: 'For a comment: its story' })),
    excerpt: Type.Optional(Type.String({ description: 'For a comment: its first 140 characters when the action was taken' })),
  }),
  reason: Nullable(Type.String()),
  before: Type.Unknown({ description: 'The state before the action' }),
  after: Type.Unknown({ description: 'The state after the action' }),
  createdAt: DateTime,
});
export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry), nextCursor: Nullable(Type.String()) });

// ---------------------------------------------------------------------------------------------------------------
// People: bans, suspensions, roles

export const BanBody = Type.Object({ reason: ReasonText }, { additionalProperties: false });
export const SuspendBody = Type.Object(
  { until: Type.String({ maxLength: 40, description: 'ISO 8601 date and time' }), reason: ReasonText },
  { additionalProperties: false },
);
export const UnbanBody = Type.Optional(Type.Object({ reason: Type.Optional(ReasonText) }, { additionalProperties: false }));
/** Ban, suspend and unban answer with this. */
export const UserActionResult = Type.Object({
  id: Type.String(),
  status: UserStatus,
  suspendedUntil: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});

export const RoleBody = Type.Object(
  { role: Type.Union([Type.Literal('commenter'), Type.Literal('moderator'), Type.Literal('admin')]), siteId: Type.Optional(Type.Union([Id, Type.Null()])) },
  { additionalProperties: false },
);
export const RoleResult = Type.Object({ id: Type.String(), role: Role, siteId: Nullable(Type.String()) });

// ---------------------------------------------------------------------------------------------------------------
// Sites: policy and settings

export const Site = Type.Object({ id: Type.String(), name: Type.String(), reportThreshold: Type.Integer() });
export const SiteList = Type.Object({ sites: Type.Array(Site) });

/** GET and PUT /api/sites/:id/origins: the origins (scheme://host[:port]) whose pages may embed the site's threads. */
export const SiteOrigins = Type.Object(
  { origins: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 50 }) },
  { additionalProperties: false },
);

/** GET /api/embed/story: the embed loader's question, asked from the host page (its Origin header is checked). */
export const EmbedStoryQuery = Type.Object({
  siteId: Id,
  url: Type.String({ minLength: 1, maxLength: 2000, description: "The article's canonical URL (data-story-url)" }),
  title: Type.Optional(Type.String({ maxLength: 500, description: 'data-story-title, else the page\'s og:title' })),
});
export const EmbedStory = Type.Object({
  story: refTo(StoryModel),
  /** The frame to show, on this server (a path). */
  framePath: Type.String(),
});

export const ClassifierInfo = Type.Object({
  thresholds: Type.Unsafe<Record<Label, { hold: number; reject: number }> | null>({
    anyOf: [
      { type: 'object', additionalProperties: { type: 'object', properties: { hold: { type: 'number' }, reject: { type: 'number' } } } },
      { type: 'null' },
    ],
  }),
});

const WordList = Type.Array(Type.String({ minLength: POLICY_LIMITS.wordLength.min, maxLength: POLICY_LIMITS.wordLength.max }), {
  maxItems: POLICY_LIMITS.words.max,
});
const bounded = (limits: { min: number; max: number }) => Type.Integer({ minimum: limits.min, maximum: limits.max });

/** GET and PUT /api/sites/:id/policy; the defaults are DEFAULT_POLICY in src/moderation/policy.ts. */
export const SitePolicy = Type.Object(
  {
    /** Words and phrases that reject a comment. Matched through spelling tricks (see src/moderation/word-list.ts). */
    bannedWords: WordList,
    /** Words and phrases that hold a comment for a moderator. */
    suspectWords: WordList,
    /** Longest comment body, in characters. */
    maxLength: bounded(POLICY_LIMITS.maxLength),
    /** More links than this hold a comment for a moderator. */
    maxLinks: bounded(POLICY_LIMITS.maxLinks),
    /** Per-label thresholds; a label left out uses the classifier's shipped thresholds. */
    thresholds: Type.Object(
      Object.fromEntries(LABELS.map((l) => [l, Type.Optional(LabelPolicy)])) as { [L in Label]: ReturnType<typeof Type.Optional<typeof LabelPolicy>> },
      { additionalProperties: false },
    ),
    /** Hold every comment, only new accounts' first comments, or none, for a moderator to approve first. */
    preModeration: Type.Union([Type.Literal('none'), Type.Literal('all'), Type.Literal('new_accounts')]),
    /** With new_accounts: how many published comments an account needs before its comments go straight up. */
    newAccountComments: bounded(POLICY_LIMITS.newAccountComments),
    /** Reports that put a published comment in the reported queue. */
    reportThreshold: bounded(POLICY_LIMITS.reportThreshold),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------------------------
// Operations

export const Health = Type.Object({ status: Type.String(), database: Type.String() });
/** What /readyz says: whether this process should get traffic, and if not, why. */
export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  database: Type.Boolean({ description: 'The database answers and its migrations are done (they run before the server listens)' }),
  classifier: Type.Union([Type.Literal('loaded'), Type.Literal('off')]),
  draining: Type.Boolean({ description: 'The process is shutting down and finishing the requests it has' }),
});
export const Liveness = Type.Object({ status: Type.Literal('alive') });

// ---------------------------------------------------------------------------------------------------------------
// Live updates: the readers' event stream (GET /api/events)

/** What happened to a comment; `comment.removed` is what a reader who may not see the change gets instead. */
export const ThreadEventType = oneOf([
  'comment.created',
  'comment.edited',
  'comment.deleted',
  'comment.voted',
  'comment.moderated',
  'comment.removed',
] as const);

/**
 * One change to a thread, as the `data` of a server-sent event whose `id` is `id` and whose `event` is `type`.
 * Ids grow with every change that commits, on every process; send the last one back as `Last-Event-ID` (or
 * `lastEventId`) to resume.
 */
export const ThreadEvent = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  type: ThreadEventType,
  storyId: Type.String(),
  commentId: Type.String(),
  parentId: Nullable(Type.String()),
  /** The comment's status after the change (left out of `comment.removed`). */
  status: Type.Optional(CommentStatus),
  /** The comment as any reader sees it: on created, edited and moderated. */
  comment: Type.Optional(CommentFields),
  /** The comment's new score: on voted. */
  score: Type.Optional(Type.Integer()),
  at: DateTime,
});

export const EventsQuery = Type.Object({
  stories: Type.String({
    pattern: '^[0-9a-z]{1,32}(,[0-9a-z]{1,32}){0,49}$',
    description: 'The stories to follow, comma-separated ids (at most 50): one connection per page, however many threads',
  }),
  lastEventId: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,15}$', description: 'Resume after this event (as the Last-Event-ID header does on a reconnect)' }),
  ),
  ticket: Type.Optional(
    Type.String({ pattern: '^pet_[A-Za-z0-9_-]{1,100}$', description: 'A ticket from POST /api/events/tickets: the stream as that reader sees it' }),
  ),
});
/** A short-lived ticket that opens a signed-in reader's event stream where EventSource cannot send a bearer token. */
export const StreamTicket = Type.Object({
  ticket: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});

// ---------------------------------------------------------------------------------------------------------------
// Site models: a site's own model, compared with the shipped one on the site's decisions, and the switch

const ModelFigures = Type.Object({
  rocAuc: Nullable(Type.Number({ description: 'null when the rows hold no positive or no negative of the label' })),
  holdRate: Type.Number({ description: "Share of the rows at or over the model's hold line" }),
  hold: Type.Number(),
});
const CurvePoint = Type.Object({
  threshold: Type.Number(),
  holdRate: Type.Number(),
  precision: Nullable(Type.Number()),
});
/** GET /api/sites/:id/model */
export const SiteModelReport = Type.Object({
  active: Type.Union([Type.Literal('shipped'), Type.Literal('site')]),
  shipped: Nullable(Type.Object({ version: Type.String() })),
  site: Nullable(Type.Object({ version: Type.String(), trainingRows: Nullable(Type.Integer()) })),
  evaluation: Type.Object({
    rows: Type.Integer({ description: "The site's most recent decisions of the held-out split, which a site model never trains on" }),
    labels: Type.Array(
      Type.Object({
        label: Type.String(),
        rows: Type.Integer(),
        positives: Type.Integer(),
        shipped: Nullable(ModelFigures),
        site: Nullable(ModelFigures),
      }),
    ),
  }),
  calibration: Type.Array(
    Type.Object({
      label: Type.String(),
      model: Type.Union([Type.Literal('shipped'), Type.Literal('site')]),
      points: Type.Array(CurvePoint),
      forHoldRate: Nullable(Type.Number({ description: "The lowest hold line that holds at most the query's holdRate" })),
      forPrecision: Nullable(Type.Number({ description: "The lowest hold line whose precision reaches the query's precision" })),
    }),
  ),
});
export const SiteModelQuery = Type.Object({
  holdRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Target hold rate for the calibration (default 0.1)' })),
  precision: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Target precision for the calibration (default 0.9)' })),
});
/** PUT /api/sites/:id/model: score the site's comments with its own model, or with the shipped one again. */
export const SiteModelBody = Type.Object({ use: Type.Union([Type.Literal('site'), Type.Literal('shipped')]) }, { additionalProperties: false });
export const SiteModelSwitch = Type.Object({ active: Type.Union([Type.Literal('shipped'), Type.Literal('site')]), version: Nullable(Type.String()) });
