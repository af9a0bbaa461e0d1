// Posting, editing, deleting, voting on and reading comments: the rules, whichever door the request came in by.
import { isMissingReference, type Storage } from '../storage/db.js';
import type { CommentRow, CommentStatus, StoryRow, UserRow } from '../storage/schema.js';
import { newTimeOrderedId } from '../storage/ids.js';
import { findPostingTarget, findStory, findStoryWithPolicy, readStoryPage, type StoryWithPolicyRow } from '../storage/stories.js';
import { commentEvasionFacts } from '../storage/ban-evasion.js';
import { findSession } from '../storage/sessions.js';
import {
  countPublishedBy,
  countRepliesBefore,
  findComment,
  findSources,
  hasUnpublishedOn,
  findThreadComment,
  insertCommentWithEvent,
  readReplies,
  readThreadPage,
  updateComment,
  type ThreadCursor,
  type ThreadPage,
  type PageComment,
  type ThreadComment,
  type ThreadSort,
} from '../storage/comments.js';
import { castVote, viewerVotes } from '../storage/votes.js';
import { appendThreadEvent, inTransaction } from '../storage/events.js';
import { renderMarkdown } from '../content/markdown.js';
import type { ModerationStep, Scoring } from '../moderation/step.js';
import { guestPolicy, parsePolicy, type FullPolicy } from '../moderation/policy.js';
import type { Decision, Reason } from '../moderation/types.js';
import type { Span } from '../moderation/labels.js';
import type { Comment, CommentFields } from '../contracts/api.js';
import { NO_EVENTS, commentEvent, type ThreadEventSink } from './events.js';
import { Deliveries } from './deliveries.js';
import { severityOf } from '../contracts/severity.js';
import type { CoreConfig } from './config.js';
import { decodeCursor, encodeCursor } from './cursors.js';
import { iso } from './time.js';
import { ParleyError, conflict, forbidden, notFound, unprocessable } from './errors.js';
import { currentState, isStaffOf, mayRead, storyClosed, storyPageHeadOf, type CurrentState, type StoryPageHead } from './stories.js';
import { isTrusted } from './people.js';
import { NOT_SCREENED, type EvasionScreen } from './ban-evasion.js';

/** How a guest's comment is moderated (the site's guest setting when it takes guests). */
export type GuestModeration = 'premoderate' | 'stricter';

/**
 * A comment as a reader sees it (the API's Comment, src/contracts), plus what only the story pages use: whom a
 * reply answers when it is shown apart from its parent. The API leaves replyTo out.
 */
export type CommentView = Omit<Comment, 'replies'> & {
  replies: CommentView[];
  /** Set on a reply shown apart from its parent (which is on an earlier page): whom it answers. */
  replyTo?: { id: string; author: string | null };
};

export interface BranchView {
  storyId: string;
  root: CommentView;
  /** Where the next page of this top-level comment's replies starts. */
  nextCursor: string | null;
}

/**
 * Where a permalink lands: the page of the thread that starts with a top-level comment, the branch page of a reply
 * (from its start when the reply is on the branch's first page, else from the reply), or, for staff looking at a
 * comment only they and its author may see, the comment on its own.
 */
export type PermalinkTarget =
  | { kind: 'thread'; storyId: string; commentId: string; cursor: string }
  | { kind: 'branch'; storyId: string; commentId: string; rootId: string; after: string | null }
  | { kind: 'alone'; storyId: string; commentId: string; view: CommentView };

/** Replies the branch page shows at once: a reply further down opens on a page that starts with it. */
export const BRANCH_PAGE = 200;

export interface ThreadView {
  comments: CommentView[];
  nextCursor: string | null;
}

export interface PostedComment {
  comment: CommentRow;
  decision: Decision;
  /** The comment as its author sees it, built from what was written (no read back). */
  view: CommentView;
}

/** A story with its site's policy: what moderating a text for that story needs. */
interface StoryWithPolicy {
  story: StoryRow;
  policy: FullPolicy;
  /** The story's state in force now (open, closed, premoderated, hidden). */
  current: CurrentState;
  /** The site model its site's comments are scored with; null: the shipped model. */
  siteModel: string | null;
  /** Read with a story to write on: the ids of its site's webhooks for the write's event (`target`'s `hooksFor`). */
  hooks?: string[];
}

/**
 * Thrown by `CommentService.post` when the remembered session it was given has ended or its account has changed
 * since it was read: nothing was written; read the session again and post again.
 */
export class StaleSession extends Error {
  constructor() {
    super('The session changed since it was read.');
  }
}

/** A session read a while ago, to read again with a post: its cookie secret and the account it was read with. */
interface SessionRecheckOf {
  secret: string;
  user: UserRow;
}

/** Whether an account read now is the one read before, column for column (a ban, a new role, an e-mail changed...). */
function sameRow(before: UserRow, now: UserRow | undefined): boolean {
  if (!now) return false;
  const fresh = now as unknown as Record<string, unknown>;
  return Object.entries(before).every(([column, value]) => fresh[column] === value);
}

/** A story row read with its site's policy, as a write's target. */
function targetOf(row: StoryWithPolicyRow, hooksFor: 'comment.created' | 'comment.updated' | undefined): StoryWithPolicy {
  const { site_policy_json, site_model_version, site_webhook_ids, ...story } = row;
  const policy = parsePolicy(site_policy_json);
  const target: StoryWithPolicy = { story, policy, current: currentState(story, policy.autoCloseDays), siteModel: site_model_version };
  if (hooksFor) target.hooks = site_webhook_ids ? site_webhook_ids.split(',') : [];
  return target;
}

/** The moderation step of a site that scores with its own model (its version), for sites switched to one. */
export type SiteSteps = (siteId: string, modelVersion: string) => ModerationStep;

/**
 * The nudge's dry run of a draft for a story: the decision on the text alone, and what it took to reach it
 * (the story, its policy, the classifier's scoring), so that posting the same draft reuses them.
 */
export interface DraftCheck {
  readonly decision: Decision;
  readonly body: string;
  readonly target: StoryWithPolicy;
  readonly scoring: Scoring;
}

/** How a decision is kept with its comment. */
export function decisionColumns(decision: Decision) {
  const severity = severityOf(decision.flaggedLabels, decision.scores);
  return {
    status: decision.status,
    auto_status: decision.status,
    reasons_json: JSON.stringify(decision.reasons),
    scores_json: decision.scores ? JSON.stringify(decision.scores) : null,
    spans_json: decision.scores ? JSON.stringify(decision.spans) : null,
    flagged_labels: decision.flaggedLabels.length ? `,${decision.flaggedLabels.join(',')},` : null,
    max_score: decision.scores ? Math.max(...Object.values(decision.scores)) : null,
    severity: severity.rank,
    queue_priority: severity.priority,
  };
}

/** Banned and suspended readers may read, but not write. */
export function assertMayWrite(user: UserRow, now = Date.now()): void {
  const why = user.sanction_reason ? ` Reason: ${user.sanction_reason}` : '';
  if (user.banned_at !== null) throw new ParleyError(403, 'banned', `Your account is banned from commenting.${why}`);
  if (user.suspended_until !== null && user.suspended_until > now) {
    const until = new Date(user.suspended_until).toISOString().replace('T', ' ').slice(0, 16);
    throw new ParleyError(403, 'suspended', `Your account is suspended from commenting until ${until} UTC.${why}`);
  }
}

function cleanBody(body: string): string {
  const trimmed = body.replace(/\r\n?/g, '\n').trim();
  if (!trimmed) throw new ParleyError(400, 'empty_comment', 'The comment is empty.');
  return trimmed;
}

export class CommentService {
  constructor(
    private readonly storage: Storage,
    private readonly step: ModerationStep,
    private readonly config: CoreConfig,
    private readonly events: ThreadEventSink = NO_EVENTS,
    private readonly siteSteps: SiteSteps | null = null,
    /** Mails and webhooks a change causes, planned in its transaction (without one, webhooks only: no mail). */
    private readonly deliveries = new Deliveries(false),
  ) {}

  private get db() {
    return this.storage.db;
  }

  /** The step that moderates comments of this story's site: with the site's model when it was switched to one. */
  private stepFor(target: StoryWithPolicy): ModerationStep {
    return target.siteModel && this.siteSteps ? this.siteSteps(target.story.site_id, target.siteModel) : this.step;
  }

  /** The story and its site's policy, in one read. */
  /** @param hooksFor the event a write on the story raises: the site's webhooks for it come with the story, in the same read */
  private async target(storyId: string, hooksFor?: 'comment.created' | 'comment.updated'): Promise<StoryWithPolicy> {
    const row = await findStoryWithPolicy(this.db, storyId, hooksFor);
    if (!row) throw notFound('The story');
    return targetOf(row, hooksFor);
  }

  /**
   * What a new comment needs read before it is written: the story (reused from the nudge's check when given), the
   * comment it replies to and its author's ban-evasion facts; in one statement unless the story was read already.
   * With a remembered session (`recheck`), the session and its account are read again in the same statement: the
   * post goes on only if the session is still open and the account is as remembered (else StaleSession). No target
   * when there is no such story (the caller answers 404 after the checks that come first).
   */
  private async postingReads(storyId: string, parentId: string | null, screen: EvasionScreen, checked: StoryWithPolicy | undefined, recheck?: SessionRecheckOf) {
    if (!checked) {
      const session = recheck ? { secret: recheck.secret, columns: Object.keys(recheck.user) } : null;
      const read = await findPostingTarget(this.db, { storyId, parentId, evasion: screen.query, session });
      if (recheck && !sameRow(recheck.user, read ? read.sessionUser : await findSession(this.db, recheck.secret))) throw new StaleSession();
      return read ? { target: targetOf(read.story, 'comment.created'), parent: read.parent, evasion: read.evasion } : { target: undefined, parent: undefined, evasion: undefined };
    }
    const parent = parentId ? await findComment(this.db, parentId) : undefined;
    const evasion = screen.query ? await commentEvasionFacts(this.db, screen.query) : undefined;
    return { target: checked, parent, evasion };
  }

  /**
   * The story a reader writes on: 404 when it is hidden from them, 403 story_closed when it is closed (staff of its
   * site may still write on both).
   */
  private writable(target: StoryWithPolicy, writer: UserRow): StoryWithPolicy {
    if (isStaffOf(writer, target.story.site_id)) return target;
    if (target.current.state === 'hidden') throw notFound('The story');
    if (target.current.state === 'closed') throw storyClosed(target.current);
    return target;
  }

  private async moderate(target: StoryWithPolicy, body: string, author: UserRow, scoring?: Scoring, guest?: GuestModeration, banEvasion?: string | null): Promise<Decision> {
    const policy = guest ? guestPolicy(target.policy, guest, this.stepFor(target).shippedThresholds) : target.policy;
    const storyPremoderated = target.current.state === 'premoderated';
    // Trust matters only where something pre-moderates; only pre-moderation of new accounts counts published comments.
    // A guest is nobody the site knows: never trusted.
    const trusted = !guest && (policy.preModeration !== 'none' || storyPremoderated) && (await isTrusted(this.db, author, target.story.site_id, policy));
    const publishedComments =
      policy.preModeration === 'new_accounts' && !trusted ? await countPublishedBy(this.db, author.id, policy.newAccountComments) : 0;
    return this.stepFor(target).decide(body, policy, { publishedComments, trusted, storyPremoderated, banEvasion }, scoring);
  }

  /**
   * The nudge: what the story's policy would decide about a draft's text alone (as for an established
   * author), stored nowhere. Pass the result to `post` to post the same draft without scoring it again.
   */
  async check(storyId: string, rawBody: string): Promise<DraftCheck> {
    const body = cleanBody(rawBody);
    const target = await this.target(storyId, 'comment.created');
    const step = this.stepFor(target);
    const scoring = step.score(body, target.policy);
    return { decision: step.decide(body, target.policy, undefined, scoring), body, target, scoring };
  }

  /**
   * @param checked the nudge's check of this very draft, whose story, policy and scoring are reused
   * @param guest a guest's comment (no account): moderated under the site's guest setting (guestPolicy)
   * @param screen whether its author may be a banned reader back (BanEvasionService.screen): holds the comment
   * @param remembered the session `author` was read from a while ago (not now): read again with the story, and
   *   StaleSession thrown, with nothing written, unless it is still open and its account unchanged
   */
  async post(
    author: UserRow,
    storyId: string,
    rawBody: string,
    parentId: string | null,
    checked?: DraftCheck,
    guest?: GuestModeration,
    screen: EvasionScreen = NOT_SCREENED,
    remembered?: string,
  ): Promise<PostedComment> {
    // A remembered session is checked first, so that what follows sees the account as it is now.
    const recheckedRead = remembered ? await this.postingReads(storyId, parentId, screen, undefined, { secret: remembered, user: author }) : undefined;
    assertMayWrite(author);
    const body = cleanBody(rawBody);
    const reuse = !remembered && checked && checked.body === body && checked.target.story.id === storyId ? checked : undefined;
    const read = recheckedRead ?? (await this.postingReads(storyId, parentId, screen, reuse?.target));
    if (!read.target) throw notFound('The story');
    const target = this.writable(read.target, author);
    const { story } = target;
    const { parent } = read;
    if (parentId) {
      if (!parent || (parent.status !== 'published' && parent.author_id !== author.id)) throw notFound('The comment you reply to');
      if (parent.story_id !== story.id) {
        throw unprocessable('parent_in_other_story', 'The comment you reply to belongs to a different story.');
      }
      if (parent.deleted_at !== null) throw conflict('parent_deleted', 'The comment you reply to has been deleted.');
    }
    const banEvasion = read.evasion ? screen.reason(read.evasion) : null;
    const decision = await this.moderate(target, body, author, reuse?.scoring, guest, banEvasion);
    const id = newTimeOrderedId();
    const comment: CommentRow = {
      id,
      story_id: story.id,
      site_id: story.site_id,
      parent_id: parent?.id ?? null,
      root_id: parent?.root_id ?? id,
      depth: parent ? parent.depth + 1 : 0,
      author_id: author.id,
      body_markdown: body,
      body_html: renderMarkdown(body),
      ...decisionColumns(decision),
      score: 0,
      created_at: Date.now(),
      edited_at: null,
      deleted_at: null,
      moderated_by: null,
      moderated_at: null,
      moderation_reason: null,
      featured_at: null,
      open_reports: 0,
      threat_reports: 0,
    };
    // The classifier, Markdown and the delivery planning's reads ran before the write, which is the comment, its
    // deliveries and its event together (one statement on PostgreSQL; on SQLite the posts of one turn share a commit).
    const payload = publicView({ ...comment, author_username: author.username });
    const deliveries = await this.deliveries.commentCreatedRows(this.db, comment, payload, author, parent, story.title, target.hooks);
    const eventId = await insertCommentWithEvent(this.db, comment, deliveries, commentEvent('comment.created', comment, null, payload, comment.created_at)).catch((error: unknown) => {
      // The story, or the comment replied to, was deleted after the posting read found it.
      if (isMissingReference(error)) throw notFound(parent ? 'The comment you reply to' : 'The story');
      throw error;
    });
    this.events.raised(eventId);
    this.deliveries.committed(deliveries.length);
    return { comment, decision, view: authorView(comment, payload) };
  }

  /** The comment if this user may change it, or an error that says why not. */
  private async ownComment(user: UserRow, commentId: string): Promise<CommentRow> {
    const comment = await findComment(this.db, commentId);
    if (!comment || (comment.status !== 'published' && comment.author_id !== user.id)) throw notFound('The comment');
    if (comment.author_id !== user.id) throw forbidden('Only the author can change this comment.');
    if (comment.deleted_at !== null) throw conflict('comment_deleted', 'The comment has been deleted.');
    return comment;
  }

  async edit(user: UserRow, commentId: string, rawBody: string): Promise<PostedComment> {
    assertMayWrite(user);
    const body = cleanBody(rawBody);
    const comment = await this.ownComment(user, commentId);
    const now = Date.now();
    if (now - comment.created_at > this.config.editWindowMs) {
      const minutes = Math.round(this.config.editWindowMs / 60_000);
      throw forbidden(`Comments can be edited for ${minutes} minutes after posting; this one can no longer be changed.`);
    }
    if (comment.status === 'rejected' && comment.moderated_by !== null) {
      throw conflict('moderator_rejected', 'A moderator rejected this comment; it can no longer be edited.');
    }
    const target = this.writable(await this.target(comment.story_id, 'comment.updated'), user);
    const decision = await this.moderate(target, body, user);
    const changes = {
      body_markdown: body,
      body_html: renderMarkdown(body),
      ...decisionColumns(decision),
      // A moderator's approval was of the old text.
      moderated_by: null,
      moderated_at: null,
      edited_at: now,
    };
    const edited = { ...comment, ...changes };
    const payload = publicView({ ...edited, author_username: user.username });
    const { eventId, planned } = await inTransaction(this.db, async (trx) => {
      await updateComment(trx, comment.id, changes);
      const planned = await this.deliveries.commentUpdated(trx, edited, payload, now, target.hooks);
      return { eventId: await appendThreadEvent(trx, commentEvent('comment.edited', edited, comment, payload, now)), planned };
    });
    this.events.raised(eventId);
    this.deliveries.committed(planned);
    return { comment: edited, decision, view: authorView(edited, payload) };
  }

  /** Soft delete: the text and author go, the place in the thread stays so that replies keep their context. */
  async remove(user: UserRow, commentId: string): Promise<void> {
    const comment = await this.ownComment(user, commentId);
    const now = Date.now();
    const changes = { body_markdown: '', body_html: '', deleted_at: now };
    const eventId = await inTransaction(this.db, async (trx) => {
      await updateComment(trx, comment.id, changes);
      return appendThreadEvent(trx, commentEvent('comment.deleted', { ...comment, ...changes }, comment, null, now));
    });
    this.events.raised(eventId);
  }

  async vote(user: UserRow, commentId: string, value: -1 | 0 | 1): Promise<{ score: number; myVote: number }> {
    assertMayWrite(user);
    const comment = await findComment(this.db, commentId);
    if (!comment || comment.status !== 'published') throw notFound('The comment');
    if (comment.deleted_at !== null) throw conflict('comment_deleted', 'Deleted comments cannot be voted on.');
    if (comment.author_id === user.id) throw forbidden('You cannot vote on your own comment.');
    let eventId: number | undefined;
    const now = Date.now();
    const score = await castVote(this.db, commentId, user.id, value, now, async (trx, score) => {
      eventId = await appendThreadEvent(trx, commentEvent('comment.voted', { ...comment, score }, comment, { score }, now));
    });
    if (eventId !== undefined) this.events.raised(eventId);
    if (score === undefined) throw conflict('comment_deleted', 'Deleted comments cannot be voted on.');
    return { score, myVote: value };
  }

  /** @param story the story's id, or the story itself when the caller has read it already (not read again) */
  async thread(
    story: string | StoryRow,
    viewer: UserRow | null,
    options: { sort: ThreadSort; limit: number; cursor: string | null },
  ): Promise<ThreadView> {
    // A story the caller read already was read for this viewer (hidden ones are 404 to readers there); else the
    // page reads the story's state with its comments, and is not shown when the story is not the viewer's to see.
    const cursor = await this.pageCursor(typeof story === 'string' ? story : null, viewer, options);
    const page = await readThreadPage(this.db, {
      ...this.pageQuery(typeof story === 'string' ? story : story.id, viewer, options.sort, options.limit, cursor),
      withStory: typeof story === 'string',
    });
    if (typeof story === 'string' && !mayRead(page.story, viewer)) throw notFound('The story');
    return this.threadView(page, viewer, options.sort);
  }

  /**
   * A story page: its head (the story, the latest event, the count, whether guests may comment) and its thread's
   * page, read together (one round trip on PostgreSQL). 404 when the story is not there or hidden from this viewer.
   */
  async storyPage(storyId: string, viewer: UserRow | null, options: { sort: ThreadSort; limit: number; cursor: string | null }): Promise<StoryPageHead & { thread: ThreadView }> {
    const cursor = await this.pageCursor(storyId, viewer, options);
    const read = await readStoryPage(this.db, this.pageQuery(storyId, viewer, options.sort, options.limit, cursor));
    if (!read) throw notFound('The story');
    const head = storyPageHeadOf(read.head, viewer);
    return { ...head, thread: await this.threadView(read.page, viewer, options.sort) };
  }

  /**
   * The page's cursor, or the 400 of a bad one; but a story that is not there (or hidden from this viewer) is a 404
   * first, whatever the cursor.
   * @param storyId the story to check, or null when the caller has read it for this viewer already
   */
  private async pageCursor(storyId: string | null, viewer: UserRow | null, options: { sort: ThreadSort; cursor: string | null }): Promise<ThreadCursor | null> {
    try {
      return options.cursor ? decodeCursor(`thread.${options.sort}`, options.cursor) : null;
    } catch (error) {
      if (storyId !== null) await this.visibleStory(storyId, viewer);
      throw error;
    }
  }

  private pageQuery(storyId: string, viewer: UserRow | null, sort: ThreadSort, limit: number, cursor: ThreadCursor | null) {
    return { storyId, sort, limit, cursor, viewerId: viewer?.id ?? null, replyLimit: this.config.replyLimit };
  }

  /** A page's comments as this viewer sees them: their votes, each top-level comment's tree. */
  private async threadView(page: ThreadPage, viewer: UserRow | null, sort: ThreadSort): Promise<ThreadView> {
    const all = [...page.roots, ...[...page.replies.values()].flat()];
    const votes = viewer ? await viewerVotes(this.db, viewer.id, all.map((c) => c.id)) : new Map<string, number>();
    const comments = page.roots
      .map((root) => {
        const view = this.treeOf(root, page.replies.get(root.id) ?? [], viewer, votes);
        if (page.truncated.has(root.id)) view.moreReplies = true;
        return view;
      })
      .filter((view) => !isEmptyPlaceholder(view));
    return { comments, nextCursor: page.nextCursor ? encodeCursor(`thread.${sort}`, page.nextCursor) : null };
  }

  /**
   * A signed-in reader's page made from the page every anonymous reader shares (`thread` with no viewer): their
   * votes and the source of their own comments laid over it, a copy, the shared page untouched. Null when the
   * reader has a comment on the story that only they may see (held or rejected): that needs a page of its own.
   */
  async personalize(storyId: string, shared: ThreadView, viewer: UserRow): Promise<ThreadView | null> {
    if (await hasUnpublishedOn(this.db, storyId, viewer.id)) return null;
    const all: CommentView[] = [];
    const collect = (view: CommentView) => {
      all.push(view);
      view.replies.forEach(collect);
    };
    shared.comments.forEach(collect);
    const votes = await viewerVotes(this.db, viewer.id, all.map((c) => c.id));
    const sources = await findSources(this.db, all.filter((c) => c.author?.id === viewer.id && !c.deleted).map((c) => c.id));
    const overlay = (view: CommentView): CommentView => {
      const source = sources.get(view.id);
      return { ...view, myVote: votes.get(view.id) ?? 0, ...(source === undefined ? {} : { source }), replies: view.replies.map(overlay) };
    };
    return { comments: shared.comments.map(overlay), nextCursor: shared.nextCursor };
  }

  /** The story, or 404 when there is none or it is hidden from this viewer (staff of its site see hidden stories). */
  private async visibleStory(storyId: string, viewer: UserRow | null): Promise<StoryRow> {
    const story = await findStory(this.db, storyId);
    if (!story || !mayRead(story, viewer)) throw notFound('The story');
    return story;
  }

  /** One comment as the viewer may see it, or 404 when it is not theirs to see (or its story is hidden from them). */
  async one(commentId: string, viewer: UserRow | null): Promise<CommentView> {
    const comment = await findThreadComment(this.db, commentId, viewer?.id ?? null);
    if (!comment || (comment.status !== 'published' && comment.author_id !== viewer?.id)) throw notFound('The comment');
    await this.visibleStory(comment.story_id, viewer);
    const votes = viewer ? await viewerVotes(this.db, viewer.id, [comment.id]) : new Map<string, number>();
    return toView(comment, viewer, votes);
  }

  /** Where a link to a comment opens, for this viewer; 404 when the comment is not theirs to see. */
  async permalink(commentId: string, viewer: UserRow | null): Promise<PermalinkTarget> {
    const comment = await findThreadComment(this.db, commentId, viewer?.id ?? null);
    const staff = viewer !== null && viewer.role !== 'commenter' && (viewer.site_id === null || viewer.site_id === comment?.site_id);
    const own = comment !== undefined && viewer?.id === comment.author_id;
    if (!comment || (comment.status !== 'published' && !own && !staff)) throw notFound('The comment');
    const at = { storyId: comment.story_id, commentId: comment.id };
    // Threads show readers only published comments and their own: staff see another's held comment on its own.
    if (comment.status !== 'published' && !own) {
      return { kind: 'alone', ...at, view: toView(comment, viewer, new Map()) };
    }
    // A cursor just before the comment: ids are [0-9a-z], so no id sorts before "0" at the same time.
    const justBefore = { key: comment.created_at, id: '0' };
    if (comment.depth === 0) return { kind: 'thread', ...at, cursor: encodeCursor('thread.oldest', justBefore) };
    const earlier = await countRepliesBefore(this.db, comment.root_id, { key: comment.created_at, id: comment.id }, BRANCH_PAGE);
    return {
      kind: 'branch',
      ...at,
      rootId: comment.root_id,
      after: earlier < BRANCH_PAGE ? null : encodeCursor('replies', justBefore),
    };
  }

  async moreReplies(rootId: string, viewer: UserRow | null, after: string | null, limit: number) {
    const { replies, nextCursor } = await readReplies(this.db, rootId, viewer?.id ?? null, after ? decodeCursor('replies', after) : null, limit);
    const votes = viewer ? await viewerVotes(this.db, viewer.id, replies.map((c) => c.id)) : new Map<string, number>();
    return { replies: replies.map((c) => toView(c, viewer, votes)), nextCursor: nextCursor ? encodeCursor('replies', nextCursor) : null };
  }

  /** A top-level comment with a page of its replies (oldest first), for readers following a long branch. */
  async branch(rootId: string, viewer: UserRow | null, after: string | null, limit: number): Promise<BranchView> {
    const root = await findThreadComment(this.db, rootId, viewer?.id ?? null);
    if (!root || root.depth !== 0 || (root.status !== 'published' && root.author_id !== viewer?.id)) throw notFound('The comment');
    const { replies, nextCursor } = await readReplies(this.db, rootId, viewer?.id ?? null, after ? decodeCursor('replies', after) : null, limit);
    const votes = viewer ? await viewerVotes(this.db, viewer.id, [root.id, ...replies.map((c) => c.id)]) : new Map<string, number>();
    const rootView = toView(root, viewer, votes);
    const views = new Map<string, CommentView>([[root.id, rootView]]);
    const orphans: CommentView[] = [];
    for (const reply of replies) {
      const view = toView(reply, viewer, votes);
      views.set(reply.id, view);
      const parent = views.get(reply.parent_id ?? '');
      if (parent) parent.replies.push(view);
      else orphans.push(view);
    }
    // Replies whose parent was on an earlier page hang under the top-level comment and say whom they answer.
    // Those whose parent the viewer may not see (held or rejected) stay hidden, as they are in the thread.
    for (const orphan of orphans) {
      const parent = await findThreadComment(this.db, orphan.parentId!);
      if (!parent || (parent.status !== 'published' && parent.author_id !== viewer?.id)) continue;
      orphan.replyTo = { id: orphan.parentId!, author: parent.deleted_at === null ? parent.author_username : null };
      rootView.replies.push(orphan);
    }
    return { storyId: root.story_id, root: rootView, nextCursor: nextCursor ? encodeCursor('replies', nextCursor) : null };
  }

  private treeOf(root: PageComment, replies: PageComment[], viewer: UserRow | null, votes: Map<string, number>): CommentView {
    const views = new Map<string, CommentView>();
    const rootView = toView(root, viewer, votes);
    views.set(root.id, rootView);
    // Replies come oldest first, so a reply's parent is always placed before it.
    for (const reply of replies) {
      const view = toView(reply, viewer, votes);
      views.set(reply.id, view);
      views.get(reply.parent_id ?? '')?.replies.push(view);
    }
    prunePlaceholders(rootView);
    return rootView;
  }
}

/**
 * Its author's view of a comment they have just written, made from its public view (`publicView`): authors cannot vote
 * on their own comments, so no vote to look up.
 */
function authorView(comment: CommentRow, payload: CommentFields): CommentView {
  return withAuthorFields({ ...payload, replies: [] }, comment);
}

/** A comment as any reader (signed in or not) sees it, without replies: what a live event carries. */
export function publicView(c: ThreadComment): CommentFields {
  const { replies: _replies, ...view } = toView(c, null, new Map());
  return view;
}

function toView(c: PageComment, viewer: UserRow | null, votes: Map<string, number>): CommentView {
  const deleted = c.deleted_at !== null;
  const view: CommentView = {
    id: c.id,
    parentId: c.parent_id,
    author: deleted ? null : { id: c.author_id, username: c.author_username },
    bodyHtml: deleted ? '' : c.body_html,
    status: c.status,
    deleted,
    featured: c.featured_at !== null,
    score: c.score,
    createdAt: iso(c.created_at),
    editedAt: iso(c.edited_at),
    myVote: votes.get(c.id) ?? 0,
    replies: [],
  };
  return viewer?.id === c.author_id ? withAuthorFields(view, c) : view;
}

/** What only its author sees of a comment: its source, and why it is held or rejected when it is. */
function withAuthorFields(view: CommentView, c: Pick<PageComment, 'body_markdown' | 'status' | 'reasons_json' | 'moderation_reason' | 'spans_json' | 'flagged_labels'>): CommentView {
  if (!view.deleted) view.source = c.body_markdown ?? '';
  if (c.status !== 'published') {
    const automatic = JSON.parse(c.reasons_json ?? '[]') as Reason[];
    // A moderator's rejection replaces the automatic reasons: it is the decision that stands.
    view.reasons = c.moderation_reason ? [{ code: 'moderator_rejected', message: c.moderation_reason }] : automatic;
    view.highlights = flaggedSpans(c);
  }
  return view;
}

/** The spans of the labels that held or rejected a comment: the words its author is shown. */
function flaggedSpans(c: { spans_json?: string | null | undefined; flagged_labels?: string | null | undefined }): Span[] {
  const flagged = new Set((c.flagged_labels ?? '').split(',').filter(Boolean));
  const spans = c.spans_json ? (JSON.parse(c.spans_json) as Span[]) : [];
  return spans.filter((s) => flagged.has(s.label));
}

const isEmptyPlaceholder = (view: CommentView) => view.deleted && view.replies.length === 0 && !view.moreReplies;

/** A deleted comment with nothing under it says nothing: drop it. */
function prunePlaceholders(view: CommentView): void {
  for (const reply of view.replies) prunePlaceholders(reply);
  view.replies = view.replies.filter((reply) => !isEmptyPlaceholder(reply));
}
