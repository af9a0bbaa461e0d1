// The JSON shapes of the moderation API, as the console reads them. They are copies, not imports: the
// console's tsconfig must not pull in server code. Each shape names the server file it mirrors; change
// both together. test/browser/console.test.ts compares them with the server's types, so that
// `npm run typecheck` fails when they drift apart (the route-local ActionResult and UserActionResult excepted).

/** Mirrors src/engine/labels.ts (LABELS, Label), re-exported by src/moderation/labels.ts. */
export const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'] as const;
export type Label = (typeof LABELS)[number];

/** Mirrors src/engine/labels.ts LabelScores. */
export type LabelScores = Record<Label, number>;

/** Mirrors src/storage/schema.ts Role. */
export type Role = 'commenter' | 'moderator' | 'admin';
/** Mirrors GET /api/me in src/server/routes/auth.ts (the user is src/core/accounts.ts userView). */
export interface Me {
  user: { id: string; username: string; email: string | null; role: Role; createdAt: string };
  csrfToken: string;
}

/** Mirrors src/storage/moderation.ts QueueName and QueueSort. */
export type QueueName = 'pending' | 'reported' | 'rejected' | 'approved' | 'all';
export type QueueSort = 'newest' | 'oldest' | 'score';
/** Mirrors src/storage/schema.ts CommentStatus. */
export type CommentStatus = 'published' | 'pending' | 'rejected';
/** Mirrors src/core/comments.ts ReportReason. */
export type ReportReason = 'abuse' | 'threat' | 'spam' | 'off_topic' | 'other';

/** Mirrors src/engine/labels.ts Span: UTF-16 offsets into the text as written, end exclusive. */
export interface Span {
  start: number;
  end: number;
  label: Label;
  weight: number;
}

/** Mirrors src/moderation/types.ts ReasonCode and Reason. */
export type ReasonCode =
  | 'too_long'
  | 'too_many_links'
  | 'banned_word'
  | 'suspect_word'
  | 'classifier_reject'
  | 'classifier_hold'
  | 'pre_moderation'
  | 'moderator_rejected'
  | 'check_failed';
export interface Reason {
  code: ReasonCode;
  message: string;
  label?: Label;
  score?: number;
  word?: string;
}

/** Mirrors src/core/moderation.ts QueueItemView (GET /api/moderation/queue). */
export interface QueueItem {
  comment: {
    id: string;
    storyId: string;
    parentId: string | null;
    text: string;
    bodyHtml: string;
    status: CommentStatus;
    createdAt: string;
    editedAt: string | null;
    featured: boolean;
    openReports: number;
    reasons: Reason[];
    scores: LabelScores | null;
    spans: Span[];
    flaggedLabels: string[];
    moderation: { by: string | null; at: string | null; reason: string | null };
  };
  story: { id: string; title: string };
  parent: { id: string; author: string | null; bodyHtml: string } | null;
  author: {
    id: string;
    username: string;
    createdAt: string;
    status: 'active' | 'banned' | 'suspended';
    suspendedUntil: string | null;
    published: number;
    pending: number;
    rejected: number;
    approvedByModerator: number;
  };
  reports: Array<{ reason: ReportReason; note: string | null; createdAt: string }>;
}

/** Mirrors the return of ModerationService.queue in src/core/moderation.ts. */
export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

/** Mirrors src/storage/moderation.ts queueCounts (GET /api/moderation/counts and the events' "counts"). */
export interface Counts {
  pending: number;
  reported: number;
}

/** Mirrors commentAction in src/server/routes/moderation.ts (approve, reject, feature). */
export interface ActionResult {
  id: string;
  status: CommentStatus;
  featured: boolean;
  moderationReason: string | null;
}

/** Mirrors userAction in src/server/routes/moderation.ts (ban, suspend, unban). */
export interface UserActionResult {
  id: string;
  status: 'active' | 'banned' | 'suspended';
  suspendedUntil: string | null;
  reason: string | null;
}

/** Mirrors ModerationService.bulk in src/core/moderation.ts (POST /api/moderation/comments/bulk). */
export interface BulkResult {
  results: Array<{ id: string; ok: boolean; status?: string; error?: { code: string; message: string } }>;
}

/** Mirrors ModerationService.audit in src/core/moderation.ts (GET /api/moderation/audit). */
export interface AuditEntry {
  id: string;
  siteId: string | null;
  actor: { id: string; username: string | null };
  /** comment.approve, comment.approve_and_feature, comment.reject, comment.feature, comment.unfeature,
   * user.ban, user.suspend, user.unban, user.role, site.policy */
  action: string;
  /** For a comment that still exists: its story and the first 140 characters of its text as written. */
  target: { type: 'comment' | 'user' | 'site'; id: string; storyId?: string; excerpt?: string };
  reason: string | null;
  before: unknown;
  after: unknown;
  createdAt: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** Mirrors src/moderation/policy.ts LabelPolicy and SitePolicy (GET/PUT /api/sites/:id/policy). */
export interface LabelPolicy {
  hold: number;
  reject: number;
}

export type PreModeration = 'none' | 'all' | 'new_accounts';
export interface SitePolicy {
  bannedWords: string[];
  suspectWords: string[];
  maxLength: number;
  maxLinks: number;
  thresholds: Partial<Record<Label, LabelPolicy>>;
  preModeration: PreModeration;
  newAccountComments: number;
  reportThreshold: number;
}

/** Mirrors ModerationService.stats in src/core/moderation.ts (GET /api/moderation/stats). */
export interface Stats {
  /** The staff member's site, or the default site; null when there is none. */
  siteId: string | null;
  days: Array<{ date: string; total: number; published: number; pending: number; rejected: number }>;
  holdRate: number;
  rejectRate: number;
  /** Comments flagged per label: every label is there, but the server declares a plain string map. */
  labels: Record<string, number>;
}

/** Mirrors ModerationService.sites in src/core/moderation.ts (GET /api/sites). */
export interface Site {
  id: string;
  name: string;
  reportThreshold: number;
}

/** Mirrors GET /api/moderation/classifier in src/server/routes/moderation.ts (ModerationStep.shippedThresholds):
 * null when the server runs without a classifier. */
export interface ClassifierInfo {
  thresholds: Record<Label, LabelPolicy> | null;
}
