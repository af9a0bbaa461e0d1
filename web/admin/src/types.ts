// The JSON shapes of the moderation API, as the console reads them (see src/core/moderation.ts and
// src/server/routes/moderation.ts on the server side).

export const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'] as const;
export type Label = (typeof LABELS)[number];

export type Role = 'commenter' | 'moderator' | 'admin';
export interface Me {
  user: { id: string; username: string; role: Role };
  csrfToken: string;
}

export type QueueName = 'pending' | 'reported' | 'rejected' | 'approved' | 'all';
export type QueueSort = 'newest' | 'oldest' | 'score';
export type CommentStatus = 'published' | 'pending' | 'rejected';

export interface Span {
  start: number;
  end: number;
  label: string;
  weight?: number;
}

export interface Reason {
  code: string;
  message: string;
  label?: string;
  score?: number;
  word?: string;
}

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
    scores: Record<string, number> | null;
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
  reports: Array<{ reason: string; note: string | null; createdAt: string }>;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export interface Counts {
  pending: number;
  reported: number;
}

export interface ActionResult {
  id: string;
  status: CommentStatus;
  featured: boolean;
  moderationReason: string | null;
}

export interface UserActionResult {
  id: string;
  status: 'active' | 'banned' | 'suspended';
  suspendedUntil: string | null;
  reason: string | null;
}

export interface BulkResult {
  results: Array<{ id: string; ok: boolean; status?: string; error?: { code: string; message: string } }>;
}

export interface AuditEntry {
  id: string;
  siteId?: string | null;
  actor: { id: string; username: string | null };
  action: string;
  target: { type: string; id: string };
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
  hold: number;
  reject: number;
}

export interface SitePolicy {
  bannedWords: string[];
  suspectWords: string[];
  maxLength: number;
  maxLinks: number;
  thresholds: Partial<Record<Label, LabelPolicy>>;
  preModeration: 'none' | 'all' | 'new_accounts';
  newAccountComments: number;
  reportThreshold: number;
}

export interface Stats {
  /** The staff member's site, or the default site; null when there is none. */
  siteId: string | null;
  days: Array<{ date: string; total: number; published: number; pending: number; rejected: number }>;
  holdRate: number;
  rejectRate: number;
  labels: Partial<Record<Label, number>>;
}
