// The JSON shapes of Parley's API: one definition that the server builds and the browser clients read.
// Types only (and the label list): nothing here may import server code, so the console's build can use it.
export { LABELS, type Label, type LabelScores, type Span } from '../engine/labels.js';
import type { Label, LabelScores, Span } from '../engine/labels.js';


export type Role = 'commenter' | 'moderator' | 'admin';
export interface Me {
  user: { id: string; username: string; email: string | null; role: Role; createdAt: string };
  csrfToken: string;
}

export type QueueName = 'pending' | 'reported' | 'rejected' | 'approved' | 'all';
export type QueueSort = 'newest' | 'oldest' | 'score';
export type CommentStatus = 'published' | 'pending' | 'rejected';
export type ReportReason = 'abuse' | 'threat' | 'spam' | 'off_topic' | 'other';

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

/** One item of GET /api/moderation/queue. */
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

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export interface Counts {
  pending: number;
  reported: number;
}

/** Approve, reject and feature answer with this. */
export interface ActionResult {
  id: string;
  status: CommentStatus;
  featured: boolean;
  moderationReason: string | null;
}

/** Ban, suspend and unban answer with this. */
export interface UserActionResult {
  id: string;
  status: 'active' | 'banned' | 'suspended';
  suspendedUntil: string | null;
  reason: string | null;
}

export interface BulkResult {
  results: Array<{ id: string; ok: boolean; status?: string; error?: { code: string; message: string } }>;
}

/** One entry of GET /api/moderation/audit. */
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

export interface LabelPolicy {
  /** At or above this score a comment waits for a moderator. */
  hold: number;
  /** At or above this score a comment is rejected outright. */
  reject: number;
}

export type PreModeration = 'none' | 'all' | 'new_accounts';
/** GET and PUT /api/sites/:id/policy; the defaults are DEFAULT_POLICY in src/moderation/policy.ts. */
export interface SitePolicy {
  /** Words and phrases that reject a comment. Matched through spelling tricks (see src/moderation/word-list.ts). */
  bannedWords: string[];
  /** Words and phrases that hold a comment for a moderator. */
  suspectWords: string[];
  /** Longest comment body, in characters. */
  maxLength: number;
  /** More links than this hold a comment for a moderator. */
  maxLinks: number;
  /** Per-label thresholds; a label left out uses the classifier's shipped thresholds. */
  thresholds: Partial<Record<Label, LabelPolicy>>;
  /** Hold every comment, only new accounts' first comments, or none, for a moderator to approve first. */
  preModeration: PreModeration;
  /** With new_accounts: how many published comments an account needs before its comments go straight up. */
  newAccountComments: number;
  /** Reports that put a published comment in the reported queue. */
  reportThreshold: number;
}

/** GET /api/moderation/stats */
export interface Stats {
  /** The staff member's site; null for staff of every site, whose figures cover every site. */
  siteId: string | null;
  days: Array<{ date: string; total: number; published: number; pending: number; rejected: number }>;
  holdRate: number;
  rejectRate: number;
  /** Comments flagged per label: every label is there, but the server declares a plain string map. */
  labels: Record<string, number>;
}

export interface Site {
  id: string;
  name: string;
  reportThreshold: number;
}

export interface ClassifierInfo {
  thresholds: Record<Label, LabelPolicy> | null;
}
