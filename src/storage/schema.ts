// Table shapes as Kysely sees them. Times are epoch milliseconds in BIGINT columns on both databases.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

import type { CommentStatus, ReportReason, Role, StoryState, ThreadEventType } from '../contracts/api.js';

export type { CommentStatus, ReportReason, Role, StoryState } from '../contracts/api.js';

export interface SitesTable {
  id: string;
  name: string;
  /** JSON of the site's moderation settings; see src/moderation/policy.ts. */
  policy_json: string;
  created_at: number;
  /** The version of the site model its comments are scored with (a file the server finds by site id); null: the shipped model. */
  model_version: string | null;
  /** Whether guests (no account) may comment: off (the default), premoderate or stricter. */
  guest_comments: Generated<GuestMode>;
}

export interface UsersTable {
  id: string;
  username: string;
  /** Lower-cased username: the unique key, so "Alice" and "alice" are one account. */
  username_key: string;
  email: string | null;
  password_hash: string;
  role: Role;
  created_at: number;
  /** Staff of one site; null for readers and for staff of every site. */
  site_id: string | null;
  banned_at: number | null;
  suspended_until: number | null;
  /** Why the reader was banned or suspended, shown to them when they try to post. */
  sanction_reason: string | null;
  /** When the reader deleted the account: the row stays for their comments, with nothing that names them. */
  deleted_at: Generated<number | null>;
  /** When staff marked the account trusted by hand (it skips pre-moderation); null: not by hand. */
  trusted_at: Generated<number | null>;
  /** When the reader proved the address is theirs (a link sent to it); mail other than that link goes only to verified addresses. */
  email_verified_at: Generated<number | null>;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  /** SHA-256 of the bearer token. */
  id: string;
  user_id: string;
  name: string;
  created_at: number;
  /** When the token stops working (epoch ms); null for tokens that do not expire. */
  expires_at: Generated<number | null>;
}

/** An origin (scheme://host[:port]) allowed to embed a site's threads. */
export interface SiteOriginsTable {
  site_id: string;
  origin: string;
  created_at: number;
}

export interface StoriesTable {
  id: string;
  site_id: string;
  url: string;
  title: string;
  byline: string | null;
  source: string | null;
  image_url: string | null;
  image_caption: string | null;
  body: string | null;
  published_at: number;
  created_at: number;
  /** open, closed (read-only), premoderated (every new comment held) or hidden (404 to readers). */
  state: Generated<StoryState>;
  /** What readers of a closed story are told. */
  closed_message: Generated<string | null>;
}

export interface CommentsTable {
  id: string;
  story_id: string;
  /** The story's site, kept here so that moderation queues read one table. */
  site_id: string;
  parent_id: string | null;
  /** The top-level comment of this thread; equals id for a top-level comment. */
  root_id: string;
  depth: number;
  author_id: string;
  body_markdown: string;
  body_html: string;
  status: CommentStatus;
  /** What the moderation step decided at the last write; status may since have been changed by a moderator. */
  auto_status: CommentStatus;
  /** JSON array of the moderation step's reasons for the status. */
  reasons_json: string;
  /** JSON of the classifier's label scores, or null when no classifier ran. */
  scores_json: string | null;
  score: Generated<number>;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  /** JSON of the classifier's spans: the words that drove the scores. */
  spans_json: string | null;
  /** Labels at or over their hold threshold when decided, as ",threat,insult,", for queue filters. */
  flagged_labels: string | null;
  /** The highest of the classifier's label scores, for sorting queues. */
  max_score: number | null;
  /** The rank of the most severe flagged label (src/contracts/severity.ts); 0 when none was flagged. */
  severity: Generated<number>;
  /** The pending queue's default sort key: 2 × severity + the score that ranks it. */
  queue_priority: Generated<number>;
  moderated_by: string | null;
  moderated_at: number | null;
  /** A moderator's reason for rejecting the comment; its author sees it. */
  moderation_reason: string | null;
  featured_at: number | null;
  /** Reports since a moderator last reviewed the comment. */
  open_reports: Generated<number>;
  /** Of those, reports of a threat: one puts the comment in the reported queue. */
  threat_reports: Generated<number>;
}

/** A moderator's note on a person, for staff only. */
export interface UserNotesTable {
  id: string;
  user_id: string;
  author_id: string;
  /** The site of the staff member who wrote it; null for staff of every site. */
  site_id: string | null;
  body: string;
  created_at: number;
}

export interface VotesTable {
  comment_id: string;
  user_id: string;
  value: number;
  created_at: number;
}

export interface ReportsTable {
  id: string;
  comment_id: string;
  reporter_id: string;
  reason: ReportReason;
  note: string | null;
  created_at: number;
}

/** Append-only: the database refuses updates and deletes. */
export interface AuditLogTable {
  id: string;
  site_id: string | null;
  actor_id: string;
  action: string;
  target_type: 'comment' | 'user' | 'site' | 'story' | 'ban';
  target_id: string;
  reason: string | null;
  before_json: string | null;
  after_json: string | null;
  /** For an undoable action: the changed columns as they were before it (JSON); absent on other entries. */
  undo_json?: string | null;
  created_at: number;
}

/** A moderator's soft claim on a queue item: shown to others, blocks nothing. */
export interface QueueClaimsTable {
  comment_id: string;
  site_id: string;
  user_id: string;
  claimed_at: number;
  expires_at: number;
}

/** A moderator's named queue filter on one site ('' for every site). */
export interface SavedFiltersTable {
  id: string;
  user_id: string;
  site_scope: string;
  name: string;
  filter_json: string;
  created_at: number;
}

/** What an imported record became in Parley (kind: story, comment, author). */
export interface ImportKeysTable {
  site_id: string;
  /** The file's format: disqus, wordpress. */
  source: string;
  kind: 'story' | 'comment' | 'author';
  external_id: string;
  parley_id: string;
}

/** An imported comment waiting for its thread to be placed; gone once it is. */
export interface ImportStagingTable {
  site_id: string;
  source: string;
  external_id: string;
  thread_external_id: string;
  parent_external_id: string | null;
  /** Who wrote it, as the file tells (a user id, an e-mail or a name): one Parley account per key. */
  author_key: string;
  author_name: string;
  author_email: string | null;
  body_markdown: string;
  /** published, pending, spam or deleted, as the file says. */
  state: 'published' | 'pending' | 'spam' | 'deleted';
  likes: number;
  created_at: number;
}

/** An import started from the console; the file is kept on the receiving machine until the import is done. */
export interface ImportJobsTable {
  id: string;
  site_id: string;
  source: 'disqus' | 'wordpress';
  moderation: 'score' | 'queue';
  /** The name the file had on the uploader's computer (shown, never used as a path). */
  file_name: string;
  file_bytes: number;
  /** running (updated_at moves while it does), done, failed or interrupted (resumable). */
  status: 'running' | 'done' | 'failed' | 'interrupted';
  pass: 'check' | 'stage' | 'place' | null;
  done: number;
  total: number | null;
  /** The importer's summary (ImportSummary) once done. */
  summary_json: string | null;
  error: string | null;
  started_by: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** A label a moderator confirmed or corrected on a comment: the latest per comment and label. */
export interface LabelDecisionsTable {
  comment_id: string;
  label: string;
  /** 1: the label applies; 0: it does not. */
  value: number;
  site_id: string;
  decided_by: string;
  decided_at: number;
}

/** A site's key for host sign-on tokens; the material is never shown back. */
export interface SiteSsoKeysTable {
  site_id: string;
  /** HS256 (a shared secret), RS256 or EdDSA (a public key in PEM). */
  algorithm: 'HS256' | 'RS256' | 'EdDSA';
  key_material: string;
  updated_at: number;
}

/** A single-use id once used (scope `sso:SITE` for sign-on tokens, `guest:SITE` for challenges), until it expires. */
export interface UsedNoncesTable {
  scope: string;
  nonce: string;
  expires_at: number;
}

/** A secret of this install, made at first use. */
export interface InstallSecretsTable {
  name: string;
  value: string;
}

/** A guest's comment, for the rate limits per address (keyed hash) and per browser. */
export interface GuestPostsTable {
  site_id: string;
  address_hash: string;
  browser_id: string | null;
  created_at: number;
}

/** A ban of an e-mail domain or of a network address (its keyed hash), until it expires or is lifted. */
export interface IdentityBansTable {
  id: string;
  kind: 'domain' | 'address';
  /** The lower-cased domain, or the address's HMAC (src/core/ban-evasion.ts). */
  value: string;
  /** The account whose address or domain was banned, when the ban was made from one. */
  source_user_id: string | null;
  reason: string;
  created_by: string;
  created_at: number;
  expires_at: number;
}

/** An address (keyed hash) an account signed up or posted from, until last_seen_at is older than the retention. */
export interface NetworkAddressesTable {
  user_id: string;
  address_hash: string;
  last_seen_at: number;
  /** 1 while the account is banned (kept by a trigger on users.banned_at, migration 0025), else 0. */
  user_banned: number;
}

/** Why an account's comments are held for review: a possible ban evasion found at its sign-up. */
export interface EvasionHoldsTable {
  user_id: string;
  reason: string;
  created_at: number;
}

export type GuestMode = 'off' | 'premoderate' | 'stricter';

/** An account's identity elsewhere: `site:SITE_ID` and the site's user id, or an OpenID issuer and its subject. */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  /** The site the identity came through. */
  site_id: string | null;
  created_at: number;
  last_seen_at: number;
  /** A guest's address as they gave it, unverified; null for other identities. */
  email: Generated<string | null>;
}

/** An OpenID Connect provider a site's readers may sign in with. */
export interface SiteOidcProvidersTable {
  site_id: string;
  /** The provider's short name in URLs (/auth/oidc/NAME/start). */
  name: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  created_at: number;
}

/** A sign-in under way at an OpenID provider, keyed by its state; deleted when used. */
export interface OidcFlowsTable {
  state: string;
  site_id: string;
  provider: string;
  code_verifier: string;
  nonce: string;
  next_path: string;
  expires_at: number;
}

export interface Database {
  site_sso_keys: SiteSsoKeysTable;
  used_nonces: UsedNoncesTable;
  install_secrets: InstallSecretsTable;
  guest_posts: GuestPostsTable;
  identity_bans: IdentityBansTable;
  network_addresses: NetworkAddressesTable;
  evasion_holds: EvasionHoldsTable;
  user_identities: UserIdentitiesTable;
  site_oidc_providers: SiteOidcProvidersTable;
  oidc_flows: OidcFlowsTable;
  import_keys: ImportKeysTable;
  import_staging: ImportStagingTable;
  import_jobs: ImportJobsTable;
  sites: SitesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  site_origins: SiteOriginsTable;
  stories: StoriesTable;
  comments: CommentsTable;
  votes: VotesTable;
  reports: ReportsTable;
  audit_log: AuditLogTable;
  queue_claims: QueueClaimsTable;
  saved_filters: SavedFiltersTable;
  thread_events: ThreadEventsTable;
  label_decisions: LabelDecisionsTable;
  user_notes: UserNotesTable;
  outbox: OutboxTable;
  webhooks: WebhooksTable;
  mail_tokens: MailTokensTable;
  reply_subscriptions: ReplySubscriptionsTable;
  digest_days: DigestDaysTable;
  /** The published, undeleted comments of each story, kept by triggers on comments (0022 on SQLite, 0024 on PostgreSQL). */
  story_comment_counts: StoryCommentCountsTable;
}

export interface StoryCommentCountsTable {
  story_id: string;
  published: number;
}

/** A mail or webhook call to make, written in the transaction of the change that causes it (src/delivery sends it). */
export interface OutboxTable {
  id: string;
  kind: 'mail' | 'webhook';
  site_id: string | null;
  /** The webhook event type (comment.created, …) or the mail's template (reply, reset, …). */
  topic: string;
  /** The webhook's id, or the mail's address. */
  target: string;
  /** The event this delivery carries: one per change, shared by a replay and by the calls to each webhook. */
  event_id: string;
  payload_json: string;
  /** pending (due at next_attempt_at, or claimed by a dispatcher until then), sent, or failed (no attempts left). */
  status: 'pending' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  /** The receiver's HTTP status on the last attempt (webhooks). */
  last_status_code: number | null;
  created_at: number;
  sent_at: number | null;
}

export interface WebhooksTable {
  id: string;
  site_id: string;
  url: string;
  /** The HMAC-SHA256 key the receiver checks signatures with (it must be kept to sign). */
  secret: string;
  /** The event types it receives, as ",comment.created,user.banned,". */
  events: string;
  created_at: number;
}

export interface MailTokensTable {
  /** SHA-256 of the token in the link. */
  token_hash: string;
  user_id: string;
  purpose: 'verify' | 'reset';
  /** The address the link was sent to (verifying proves this one). */
  email: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

/** The days (UTC) whose digest of the queues was planned: once a day, however many processes or cron jobs ask. */
export interface DigestDaysTable {
  day: string;
  planned_at: number;
}

export interface ReplySubscriptionsTable {
  user_id: string;
  story_id: string;
  /** The one-click unsubscribe link's token. */
  token: string;
  created_at: number;
}

/**
 * Every change to a thread, appended in the transaction of the change: the id grows in commit order, so a reader
 * resumes after the last id it saw with no gap and no repeat.
 */
export interface ThreadEventsTable {
  id: Generated<number>;
  story_id: string;
  site_id: string;
  /** Null on a change to the story itself (story.updated). */
  comment_id: string | null;
  parent_id: string | null;
  /** Whose comment: its author sees the change whatever the status. Null on story.updated. */
  author_id: string | null;
  /** story.updated: the story's state or text changed (readers are not sent it; cached pages of the story go). */
  type: Exclude<ThreadEventType, 'comment.removed'> | 'story.updated';
  /** The comment's status after the change. Null on story.updated. */
  status: CommentStatus | null;
  /** 1 when every reader could see the comment before the change (so those who no longer may are told it went). */
  was_public: number;
  /** The public comment (created, edited, moderated) or {score} (voted), as JSON. */
  payload_json: string | null;
  created_at: number;
}

export type ThreadEventRow = Selectable<ThreadEventsTable>;
export type NewThreadEvent = Omit<Insertable<ThreadEventsTable>, 'id'>;

export type SiteRow = Selectable<SitesTable>;
export type UserRow = Selectable<UsersTable>;
export type StoryRow = Selectable<StoriesTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type ImportJobRow = Selectable<ImportJobsTable>;
export type UserNoteRow = Selectable<UserNotesTable>;
export type ReportRow = Selectable<ReportsTable>;
export type CommentUpdate = Updateable<CommentsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Omit<OutboxRow, 'attempts' | 'status' | 'last_error' | 'last_status_code' | 'sent_at'>;
export type WebhookRow = Selectable<WebhooksTable>;
