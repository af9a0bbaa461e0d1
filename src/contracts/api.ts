// The JSON shapes of Parley's API as TypeScript types, each derived from its schema in schemas.ts (Static<>), so
// that a shape is written once. The server builds its responses as these types and the console reads them.
// Type-only imports of the schemas: the console's bundle gets the types and the plain values below, no TypeBox.
import type { Static } from 'typebox';
import type * as S from './schemas.js';

export { LABELS, type Label, type LabelScores, type Span } from '../engine/labels.js';
export { COMMENT_BODY_MAX, POLICY_LIMITS, REPORT_REASONS, USERNAME_PATTERN, WEBHOOK_EVENTS } from './limits.js';

export type Role = Static<typeof S.Role>;
export type CommentStatus = Static<typeof S.CommentStatus>;
export type ReportReason = Static<typeof S.ReportReason>;
export type QueueName = Static<typeof S.QueueName>;
export type QueueSort = Static<typeof S.QueueSort>;
export type ThreadSort = Static<typeof S.ThreadSort>;
export type UserStatus = Static<typeof S.UserStatus>;
export type StoryState = Static<typeof S.StoryState>;
export type Standing = Static<typeof S.Standing>;

export type User = Static<typeof S.UserModel>;
/** Sign-up, log-in and GET /api/me. */
export type Session = Static<typeof S.SessionResponse>;
/** GET /api/me from the console, which signs in with a cookie and so always gets a CSRF token. */
export type Me = Session & { csrfToken: string };

/** GET /api/me/data. */
export type PersonalData = Static<typeof S.PersonalDataResponse>;

/** Why the moderation step (or a moderator) held or rejected a comment. */
export type Reason = Static<typeof S.ReasonModel>;
export type ReasonCode = Reason['code'];

/** A comment as a reader sees it, with the replies loaded under it. */
export type Comment = S.CommentTree;
export type Story = Static<typeof S.StoryModel>;
export type ThreadPage = Static<typeof S.ThreadPage>;
export type RepliesPage = Static<typeof S.RepliesPage>;
export type PostResult = Static<typeof S.PostResult>;
export type VoteResult = Static<typeof S.VoteResult>;
export type CheckResult = Static<typeof S.CheckResult>;

/** One item of GET /api/moderation/queue. */
export type QueueItem = Static<typeof S.QueueItem>;
export type QueuePage = Static<typeof S.QueuePage>;
export type Counts = Static<typeof S.Counts>;
/** Approve, reject and feature answer with this. */
export type ActionResult = Static<typeof S.ActionResult>;
/** Ban, suspend and unban answer with this. */
export type UserActionResult = Static<typeof S.UserActionResult>;
export type BulkResult = Static<typeof S.BulkResult>;
/** PUT /api/moderation/comments/:id/labels answers with this. */
export type LabelDecisions = Static<typeof S.LabelDecisions>;
/** GET /api/sites/:id/model */
export type SiteModelReport = Static<typeof S.SiteModelReport>;
/** PUT /api/sites/:id/model answers with this. */
export type SiteModelSwitch = Static<typeof S.SiteModelSwitch>;
/** One entry of GET /api/moderation/audit. */
export type AuditEntry = Static<typeof S.AuditEntry>;
export type AuditPage = Static<typeof S.AuditPage>;
/** GET /api/moderation/stats */
export type Stats = Static<typeof S.Stats>;
export type Site = Static<typeof S.Site>;
export type SiteList = Static<typeof S.SiteList>;
export type ClassifierInfo = Static<typeof S.ClassifierInfo>;
export type SiteOrigins = Static<typeof S.SiteOrigins>;
export type EmbedStory = Static<typeof S.EmbedStory>;
export type RoleResult = Static<typeof S.RoleResult>;
export type StoryPatch = Static<typeof S.StoryPatch>;
export type StoryList = Static<typeof S.StoryList>;
export type StoryDeleted = Static<typeof S.StoryDeleted>;
/** The people screen: search results, and one person with their history. */
export type PersonSummary = Static<typeof S.PersonSummary>;
export type PeopleList = Static<typeof S.PeopleList>;
export type Person = Static<typeof S.Person>;
export type PersonNote = Static<typeof S.PersonNote>;

/** A label's thresholds: at or above `hold` a comment waits for a moderator, at or above `reject` it is rejected. */
export type LabelPolicy = Static<typeof S.LabelPolicy>;
/** GET and PUT /api/sites/:id/policy; what each setting means is written beside it in schemas.ts. */
export type SitePolicy = Static<typeof S.SitePolicy>;
export type PreModeration = SitePolicy['preModeration'];

/** Live updates: one change to a thread, as GET /api/events sends it. */
export type ThreadEventType = Static<typeof S.ThreadEventType>;
export type ThreadEvent = Static<typeof S.ThreadEvent>;
export type EventsQuery = Static<typeof S.EventsQuery>;
/** A comment as any reader sees it, without replies (what a live event carries). */
export type CommentFields = Static<typeof S.CommentFields>;

/** Moving in and out: console imports and exports. */
export type ImportJob = Static<typeof S.ImportJob>;
export type ImportJobList = Static<typeof S.ImportJobList>;
export type ImportStartQuery = Static<typeof S.ImportStartQuery>;
export type Webhook = Static<typeof S.Webhook>;
export type WebhookDelivery = Static<typeof S.WebhookDelivery>;
export type WebhookDeliveryPage = Static<typeof S.WebhookDeliveryPage>;
export type WebhookList = Static<typeof S.WebhookList>;
export type CreatedWebhook = Static<typeof S.CreatedWebhook>;

/** A moderator's soft claim on a queue item (PUT /api/moderation/comments/:id/claim, and each queue item's `claim`). */
export type Claim = Static<typeof S.Claim>;
export type ClaimList = Static<typeof S.ClaimList>;
/** POST /api/moderation/actions/:id/undo */
export type UndoResult = Static<typeof S.UndoResult>;
export type QueueFilter = Static<typeof S.QueueFilter>;
export type SavedFilter = Static<typeof S.SavedFilter>;
export type SavedFilterList = Static<typeof S.SavedFilterList>;
/** GET /api/moderation/summary */
export type ModeratorSummary = Static<typeof S.ModeratorSummary>;
/** Bans by e-mail domain and by network address. */
export type IdentityBan = Static<typeof S.IdentityBan>;
export type IdentityBanInput = Static<typeof S.IdentityBanBody>;
export type IdentityBanList = Static<typeof S.IdentityBanList>;
export type GuestClaimResult = Static<typeof S.GuestClaimResult>;
