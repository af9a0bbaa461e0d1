// Every JSON shape of the API, request and response, as TypeBox values: the one description of each. The server
// validates requests and serializes responses with them and publishes them as its OpenAPI document; the
// TypeScript types in api.ts are derived from them (Static<>), and the console imports those types.
//
// Responses are serialized by Fastify from these schemas: a property a response schema leaves out is not sent,
// and a required one must be there. Shared models carry an $id and are referred to with refTo().
import { Type, type Static, type TSchema } from 'typebox';
import { LABELS } from '../engine/labels.js';
import type { Label, LabelScores } from '../engine/labels.js';
import { COMMENT_BODY_MAX, POLICY_LIMITS, REPORT_REASONS, USERNAME_PATTERN, WEBHOOK_EVENTS } from './limits.js';

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
/** A story's comments: open, closed (read-only, with a message), premoderated (every new comment held), hidden (404 to readers). */
export const StoryState = oneOf(['open', 'closed', 'premoderated', 'hidden'] as const);
/** How far a person has come: new, regular (past the site's new-account threshold), trusted (by hand or earned). */
export const Standing = oneOf(['new', 'regular', 'trusted'] as const);
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
  'ban_evasion',
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
  highlights: Type.Optional(
    Type.Array(Span, {
      description: "Only on the viewer's own held or rejected comments: the words that drove the classifier's decision, as offsets into source",
    }),
  ),
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
    /** The state in force now: an open story past the site's autoCloseDays reads closed. */
    state: StoryState,
    /** What readers of a closed story are told; null unless closed. */
    closedMessage: Nullable(Type.String()),
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

/** Host-site single sign-on: a JWT the newsroom's server signed for the reader (docs/identity.md). */
export const SsoBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 8192, description: 'The sign-on JWT (HS256, RS256 or EdDSA), aud = the Parley site id' }),
    siteId: Type.Optional(Type.String({ ...Id, description: 'The site of the page asking: a token for another site is refused' })),
    bearer: Type.Optional(Type.Boolean({ description: "Also answer a short-lived bearer token (the embed's frame, which has no cookie)" })),
  },
  { additionalProperties: false },
);
export const SsoResponse = Type.Object({
  user: refTo(UserModel),
  csrfToken: Type.String({ description: 'Send as X-CSRF-Token on cookie-authenticated writes' }),
  accessToken: Type.Optional(Type.String({ description: 'A bearer token that stops working after 4 hours; only when asked (bearer: true)' })),
});

/** GET /api/me/data: everything Parley holds about the caller (docs/identity.md). */
export const PersonalDataResponse = Type.Object({
  exportedAt: DateTime,
  account: Type.Object({
    id: Type.String(),
    username: Type.String(),
    email: Nullable(Type.String()),
    role: Role,
    siteId: Nullable(Type.String()),
    createdAt: DateTime,
    bannedAt: Nullable(DateTime),
    suspendedUntil: Nullable(DateTime),
    sanctionReason: Nullable(Type.String()),
    hasPassword: Type.Boolean(),
  }),
  comments: Type.Array(
    Type.Object({
      id: Type.String(),
      storyId: Type.String(),
      storyUrl: Type.String(),
      storyTitle: Type.String(),
      parentId: Nullable(Type.String()),
      body: Type.String({ description: 'As written, in Markdown; empty once deleted' }),
      status: CommentStatus,
      automaticStatus: CommentStatus,
      reasons: Type.Unknown({ description: 'Why the moderation step held or rejected it' }),
      scores: Type.Unknown({ description: "The classifier's scores per label, or null" }),
      moderatedAt: Nullable(DateTime),
      moderationReason: Nullable(Type.String()),
      score: Type.Integer(),
      createdAt: DateTime,
      editedAt: Nullable(DateTime),
      deletedAt: Nullable(DateTime),
    }),
  ),
  votes: Type.Array(Type.Object({ commentId: Type.String(), value: Type.Integer(), createdAt: DateTime })),
  reports: Type.Array(Type.Object({ commentId: Type.String(), reason: ReportReason, note: Nullable(Type.String()), createdAt: DateTime })),
  sessions: Type.Array(Type.Object({ createdAt: DateTime, expiresAt: DateTime })),
  apiTokens: Type.Array(Type.Object({ name: Type.String(), createdAt: DateTime, expiresAt: Nullable(DateTime) })),
  signOnLinks: Type.Array(
    Type.Object({ issuer: Type.String(), subject: Type.String(), siteId: Nullable(Type.String()), createdAt: DateTime, lastSeenAt: DateTime }),
  ),
  mailLinks: Type.Array(
    Type.Object({ purpose: Type.Union([Type.Literal('verify'), Type.Literal('reset')]), email: Type.String(), createdAt: DateTime, expiresAt: DateTime, usedAt: Nullable(DateTime) }),
    { description: 'Links mailed to confirm an address or reset the password (the links themselves are not kept)' },
  ),
  replySubscriptions: Type.Array(Type.Object({ storyId: Type.String(), storyUrl: Type.String(), createdAt: DateTime })),
  mails: Type.Array(
    Type.Object({ kind: Type.String(), status: Type.String(), createdAt: DateTime, sentAt: Nullable(DateTime) }),
    { description: 'Mails planned or sent to the account\'s address, kept in the delivery log (not their text)' },
  ),
  networkAddresses: Type.Array(
    Type.Object({ addressHash: Type.String(), lastSeenAt: DateTime }),
    { description: 'The networks the account signed up or posted from, as kept: a keyed hash, never the address' },
  ),
  heldForReviewSince: Type.Union([DateTime, Type.Null()], {
    description: 'Set when the account\'s comments wait for a moderator as a possible return of a banned reader',
  }),
});
export const AccountDeleted = Type.Object({
  comments: Type.Integer({ description: 'The account\'s comments that were not deleted yet' }),
  erased: Type.Integer({ description: 'Of those, removed from the database (policy "erase"); the others now read "[deleted]"' }),
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

/** PATCH /api/stories/:id: any of the story's fields, and its state; fields left out stay as they are. */
export const StoryPatch = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('premoderated'), Type.Literal('hidden')])),
    closedMessage: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    byline: Type.Optional(Nullable(Text(200))),
    source: Type.Optional(Nullable(Text(200))),
    imageUrl: Type.Optional(Nullable(Text(2000))),
    imageCaption: Type.Optional(Nullable(Text(1000))),
    body: Type.Optional(Nullable(Text(200_000))),
    publishedAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 date and time' })),
  },
  { additionalProperties: false },
);
/** DELETE /api/stories/:id?deleteComments=true: a story with comments goes only with this confirmation. */
export const StoryDeleteQuery = Type.Object({
  deleteComments: Type.Optional(Type.Boolean({ description: "Confirms that the story's comments are deleted with it" })),
});
export const StoryDeleted = Type.Object({ id: Type.String(), deletedComments: Type.Integer() });
/** GET /api/stories (staff): stories of the sites they act on, newest first, with their comment counts. */
export const StoryListQuery = Type.Object({ siteId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })) });
export const StoryList = Type.Object({
  stories: Type.Array(Type.Object({ story: refTo(StoryModel), comments: Type.Integer() })),
});

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
/** A guest's comment (no account), where the site takes them: docs/identity.md. */
export const GuestCommentBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 40, pattern: '\\S', description: 'The name shown with the comment' }),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
    body: CommentBody,
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    challenge: Type.String({ minLength: 1, maxLength: 500, description: 'From GET /api/stories/{id}/guest-challenge' }),
    solution: Type.String({ minLength: 1, maxLength: 20, description: 'A number whose SHA-256 with the challenge ("challenge:number") has `difficulty` leading zero bits' }),
    website: Type.Optional(Type.String({ maxLength: 200, description: 'Leave empty: a field people never see' })),
  },
  { additionalProperties: false },
);
export const GuestChallengeResponse = Type.Object({
  challenge: Type.String(),
  difficulty: Type.Integer({ description: 'Leading zero bits the proof of work needs' }),
  expiresAt: DateTime,
});
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
        'severity: threats and calls for violence first, a comment reported as a threat with them (each label has a rank, then ' +
        'its score; see docs/moderation.md); the default for the pending and reported queues, newest for the others',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  cursor: Type.Optional(Cursor),
});

/** A moderator's soft claim on a queue item: "being reviewed by X". It blocks nothing; consoles warn. */
export const Claim = Type.Object({ commentId: Type.String(), by: Type.Object({ id: Type.String(), username: Type.String() }), until: DateTime });
export const ClaimList = Type.Object({ claims: Type.Array(Claim) });
export const ClaimReleased = Type.Object({ released: Type.Boolean() });

/** The undo of an action: which action to name, and until when (docs/moderation.md). */
export const UndoHandle = Type.Object({ actionId: Type.String(), until: DateTime });

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
    waitingSince: Type.String({
      format: 'date-time',
      description: 'Since when it waits for a moderator: its first report since the last review when reported, else when it was written or last edited',
    }),
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
  claim: Nullable(Claim),
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
  undo: Type.Optional(UndoHandle),
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
        undo: Type.Optional(UndoHandle),
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

export const AuditQuery = Type.Object({
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  actorId: Type.Optional(Id),
});
/** One entry of GET /api/moderation/audit. */
export const AuditEntry = Type.Object({
  id: Type.String(),
  siteId: Nullable(Type.String()),
  actor: Type.Object({ id: Type.String(), username: Nullable(Type.String()) }),
  action: Type.String({
    description:
      'comment.approve, comment.approve_and_feature, comment.reject, comment.feature, comment.unfeature, comment.undo, user.undo, user.ban, user.suspend, user.unban, user.role, user.trust, user.note, ban.create, ban.lift, user.claim_guest_comments, user.data_export, user.delete, site.policy, site.origins, site.import, site.export, story.update, story.delete',
  }),
  /** For a comment that still exists: its story and the first 140 characters of its text as written. */
  target: Type.Object({
    type: oneOf(['comment', 'user', 'site', 'story', 'ban'] as const),
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
  undo: Type.Optional(UndoHandle),
});

/** POST /api/moderation/actions/:id/undo: the comment or the account as the undo left it. */
export const UndoResult = Type.Object({
  undid: Type.String({ description: 'The action undone, e.g. comment.reject' }),
  comment: Type.Optional(ActionResult),
  user: Type.Optional(UserActionResult),
});

/** A saved queue filter: what the queue screen shows (any part left out keeps the queue's default). */
export const QueueFilter = Type.Object(
  {
    queue: Type.Optional(QueueName),
    label: Type.Optional(oneOf(LABELS)),
    storyId: Type.Optional(Id),
    sort: Type.Optional(QueueSort),
  },
  { additionalProperties: false },
);
export const SavedFilterBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }),
    siteId: Type.Optional(Id),
    filter: QueueFilter,
  },
  { additionalProperties: false },
);
export const SavedFilter = Type.Object({ id: Type.String(), name: Type.String(), siteId: Nullable(Type.String()), filter: QueueFilter, createdAt: DateTime });
export const SavedFilterList = Type.Object({ filters: Type.Array(SavedFilter) });

export const SummaryQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) });
/** GET /api/moderation/summary: each moderator's actions over the last days. */
export const ModeratorSummary = Type.Object({
  since: DateTime,
  moderators: Type.Array(
    Type.Object({
      id: Type.String(),
      username: Type.String(),
      total: Type.Integer(),
      actions: Type.Unsafe<Record<string, number>>({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Audited actions by kind' }),
      decisions: Type.Integer({ description: 'Comments approved or rejected' }),
      medianDecisionSeconds: Nullable(Type.Number({ description: "Median time from a comment's arrival to this moderator's decision on it" })),
    }),
  ),
});

export const RoleBody = Type.Object(
  { role: Type.Union([Type.Literal('commenter'), Type.Literal('moderator'), Type.Literal('admin')]), siteId: Type.Optional(Type.Union([Id, Type.Null()])) },
  { additionalProperties: false },
);
export const RoleResult = Type.Object({ id: Type.String(), role: Role, siteId: Nullable(Type.String()) });

export const PeopleQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of a username or e-mail address' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
});
const PersonFields = {
  id: Type.String(),
  username: Type.String(),
  email: Nullable(Type.String()),
  role: Role,
  siteId: Nullable(Type.String()),
  createdAt: DateTime,
  status: UserStatus,
  suspendedUntil: Nullable(Type.String()),
  sanctionReason: Nullable(Type.String()),
  standing: Standing,
  trustedByHand: Type.Boolean(),
};
export const PersonSummary = Type.Object(PersonFields);
export const PeopleList = Type.Object({ people: Type.Array(PersonSummary) });
export const PersonNote = Type.Object({ id: Type.String(), author: Nullable(Type.String()), body: Type.String(), createdAt: DateTime });
/** GET /api/people/:id: a person with their history, as staff see it. */
export const Person = Type.Object({
  ...PersonFields,
  counts: Type.Object({ published: Type.Integer(), pending: Type.Integer(), rejected: Type.Integer(), approvedByModerator: Type.Integer() }),
  comments: Type.Array(
    Type.Object({ id: Type.String(), storyId: Type.String(), storyTitle: Type.String(), excerpt: Type.String(), status: CommentStatus, createdAt: DateTime }),
  ),
  reports: Type.Array(
    Type.Object({ commentId: Type.String(), reason: stringOf<(typeof REPORT_REASONS)[number]>(), note: Nullable(Type.String()), createdAt: DateTime }),
  ),
  notes: Type.Array(PersonNote),
});
export const NoteBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export const TrustBody = Type.Object({ trusted: Type.Boolean() }, { additionalProperties: false });

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
    /** Reports that put a published comment in the reported queue (one report of a threat always does). */
    reportThreshold: bounded(POLICY_LIMITS.reportThreshold),
    /** Stories close to new comments this many days after they were published; 0: never. */
    autoCloseDays: Type.Optional(bounded(POLICY_LIMITS.autoCloseDays)),
    /** Earned trust: this many comments approved, and none rejected, in trustWindowDays; 0: trust only by hand. */
    trustAfterApproved: Type.Optional(bounded(POLICY_LIMITS.trustAfterApproved)),
    trustWindowDays: Type.Optional(bounded(POLICY_LIMITS.trustWindowDays)),
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

// ---------------------------------------------------------------------------------------------------------------
// Moving in and out: imports from the console, exports to download

export const ImportSource = oneOf(['disqus', 'wordpress'] as const);
export const ImportModeration = oneOf(['score', 'queue'] as const);

/** POST /api/sites/:id/imports: the file is the request body (XML), what it is goes in the query. */
export const ImportStartQuery = Type.Object(
  {
    source: ImportSource,
    moderation: Type.Optional(ImportModeration),
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const ImportJobParams = Type.Object({ id: Id, jobId: Id });

/** An import started from the console, as far as it got. */
export const ImportJob = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  source: ImportSource,
  moderation: ImportModeration,
  fileName: Type.String(),
  fileBytes: Type.Integer(),
  /** interrupted: the server stopped during the import (resume it: nothing is imported twice). */
  status: oneOf(['running', 'done', 'failed', 'interrupted'] as const),
  /** check (reading the file through), stage (stories and comments), place (comments into their threads). */
  pass: Nullable(oneOf(['check', 'stage', 'place'] as const)),
  done: Type.Integer(),
  total: Nullable(Type.Integer()),
  /** What was imported, merged and skipped, and why: one sentence a line (when done). */
  summary: Nullable(Type.Array(Type.String())),
  error: Nullable(Type.String()),
  /** Whether POST …/resume can finish it (interrupted, and its file still on this server). */
  resumable: Type.Boolean(),
  startedBy: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
  finishedAt: Nullable(DateTime),
});
export const ImportJobList = Type.Object({ imports: Type.Array(ImportJob) });

/** GET /api/sites/:id/export: jsonl, the whole site to import elsewhere; csv, the comments for analysts. */
export const ExportQuery = Type.Object({ format: Type.Optional(oneOf(['jsonl', 'csv'] as const)) }, { additionalProperties: false });
// Mail and webhooks (docs/delivery.md)

/** A single-use token from a link in a mail. */
export const MailToken = Type.String({ minLength: 1, maxLength: 200 });
export const VerifyEmailBody = Type.Object({ token: MailToken }, { additionalProperties: false });
export const PasswordResetRequestBody = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false });
export const PasswordResetBody = Type.Object({ token: MailToken, password: Password }, { additionalProperties: false });
/** Said whether or not the address has an account, so that nobody learns which do. */
export const Accepted = Type.Object({ message: Type.String() });
export const EmailVerified = Type.Object({ email: Type.String(), verified: Type.Boolean() });
export const ReplySubscription = Type.Object({ storyId: Type.String(), subscribed: Type.Boolean() });

export const WebhookEvent = oneOf(WEBHOOK_EVENTS);
export const Webhook = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  url: Type.String(),
  events: Type.Array(WebhookEvent),
  createdAt: DateTime,
});
/** A webhook just added: its signing secret is shown this once. */
export const CreatedWebhook = Type.Intersect([Webhook, Type.Object({ secret: Type.String() })]);
export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook) });
export const WebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    /** The events it receives; none given: every event. */
    events: Type.Optional(Type.Array(WebhookEvent, { maxItems: WEBHOOK_EVENTS.length * 2 })),
  },
  { additionalProperties: false },
);
export const SiteWebhookParams = Type.Object({ id: Id, webhookId: Id });
export const SiteDeliveryParams = Type.Object({ id: Id, deliveryId: Id });
export const WebhookDelivery = Type.Object({
  id: Type.String(),
  webhookId: Type.String(),
  /** The event carried; a replay carries the same event id. */
  eventId: Type.String(),
  event: Type.String(),
  status: oneOf(['pending', 'sent', 'failed'] as const),
  attempts: Type.Integer(),
  /** The receiver's HTTP status on the last attempt; null when it gave none (no answer, refused connection). */
  responseCode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  createdAt: DateTime,
  sentAt: Nullable(DateTime),
  /** When the next attempt is due (pending only). */
  nextAttemptAt: Nullable(DateTime),
});
export const WebhookDeliveryPage = Type.Object({ deliveries: Type.Array(WebhookDelivery), nextCursor: Nullable(Type.String()) });
export const DeliveryQuery = Type.Object({ cursor: Type.Optional(Cursor), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });

// ---------------------------------------------------------------------------------------------------------------
// Ban evasion: bans by e-mail domain and by network address (docs/identity.md), and claiming guests' comments

export const IdentityBanBody = Type.Object(
  {
    kind: oneOf(['domain', 'address'] as const),
    domain: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: 'domain: the domain (e.g. spam.example); default: the e-mail domain of userId' })),
    address: Type.Optional(Type.String({ minLength: 2, maxLength: 45, description: 'address: an IP address, hashed at once and never stored' })),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The person whose addresses (those seen within the retention) or e-mail domain to ban' })),
    reason: ReasonText,
    expiresAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601; default 30 days from now, at most 365' })),
  },
  { additionalProperties: false },
);
export const IdentityBan = Type.Object({
  id: Type.String(),
  kind: oneOf(['domain', 'address'] as const),
  /** The banned domain; null for an address ban (the address is never stored, nor shown). */
  domain: Nullable(Type.String()),
  /** The person whose address or domain it was, when the ban was made from one. */
  sourceUser: Nullable(Type.Object({ id: Type.String(), username: Type.String() })),
  reason: Type.String(),
  createdBy: Nullable(Type.String()),
  createdAt: DateTime,
  expiresAt: DateTime,
});
export const IdentityBanList = Type.Object({ bans: Type.Array(IdentityBan) });
export const LiftBanBody = Type.Optional(Type.Object({ reason: Type.Optional(ReasonText) }, { additionalProperties: false }));
export const GuestClaimResult = Type.Object({
  /** The guests' comments now the caller's. */
  claimed: Type.Integer(),
});
