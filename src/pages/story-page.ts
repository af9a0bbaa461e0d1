import type { UserRow } from '../storage/schema.js';
import { isStaffOf, type CurrentStory } from '../core/stories.js';
import type { CommentView, ThreadView } from '../core/comments.js';
import type { ThreadSort } from '../contracts/api.js';
import { html, trusted, type Html } from './html.js';
import { layoutAround } from './layout.js';
import { REPORT_REASONS } from '../contracts/limits.js';
import type { ReportReason, Span } from '../contracts/api.js';

/** Deeper replies are drawn at this indent, each still naming whom it answers. */
export const MAX_NESTING = 5;

export interface StoryPageModel {
  /** The story with its state in force (closed stories take no new comments, replies or edits from readers). */
  story: CurrentStory;
  thread: ThreadView;
  sort: ThreadSort;
  user: UserRow | null;
  csrfToken: string | null;
  path: string;
  /** The edit window, to offer editing only while it is open. */
  editWindowMs: number;
  notice?: { kind: 'error' | 'info'; text: string } | undefined;
  /** Set when the page shows one top-level comment and a page of its replies, not the whole discussion. */
  branchOf?: string | undefined;
  /** A draft sent back for a second look: the nudge before a comment that would be held or rejected. */
  draft?: DraftReview | undefined;
  /** Published comments on the story, shown with the discussion's heading. */
  commentCount?: number | undefined;
  /** The latest thread event when the page was rendered: the story script's live updates start after it. */
  lastEventId?: number | undefined;
  /** The site takes guests' comments (and the reader is not signed in): the guest form is shown. */
  guests?: boolean | undefined;
}

/** A guest's comment: sent by the story script after it solves the server's proof-of-work challenge (src/core/guests.ts). */
function guestForm(m: StoryPageModel): Html {
  return html`<form class="comment-form guest-form" data-parley-guest method="post" action="/api/stories/${m.story.id}/guest-comments">
      <h3>Or comment as a guest</h3>
      <label>Your name <input name="name" required minlength="2" maxlength="40" autocomplete="name"></label>
      <label>E-mail, optional, never shown <input name="email" type="email" maxlength="254" autocomplete="email"></label>
      <label class="hp" aria-hidden="true">Leave this empty <input name="website" tabindex="-1" autocomplete="off"></label>
      <label>Your comment <textarea name="body" required rows="4"></textarea></label>
      <button type="submit">Post as a guest</button>
      <p class="guest-status" role="status">Posting as a guest needs JavaScript: your browser does a short computation that keeps bots out. A moderator may read a guest's comment before it appears.</p>
    </form>`;
}

export interface DraftReview {
  body: string;
  parentId: string | null;
  /** Who the draft replies to, for the form's label. */
  parentAuthor: string | null;
  /** Set when the draft is an edit of this comment. */
  editOf?: string | undefined;
  decision: 'pending' | 'rejected';
  reasons: string[];
  /** The words that drove the classifier, as offsets into body. */
  highlights: readonly Span[];
}

/** A text with the stretches the classifier pointed at marked, overlapping ones merged. */
export function highlighted(text: string, spans: readonly Span[]): Html {
  const ranges = spans
    .map((s) => [Math.max(0, s.start), Math.min(text.length, s.end)] as const)
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of ranges) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  const parts: Html[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    parts.push(html`${text.slice(at, a)}<mark>${text.slice(a, b)}</mark>`);
    at = b;
  }
  parts.push(html`${text.slice(at)}`);
  return html`${parts}`;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
/** The formatted day ("5 Sept 2026, ") of each ISO day formatted so far: a page's times fall on few days. */
const dayPrefixes = new Map<string, string>();
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * An ISO time (UTC) as `dateFormat` writes it ("5 Sept 2026, 03:04"). Intl takes about 2 µs a time, a page shows
 * a hundred: each day is formatted once (its midnight) and the hour and minute are the ISO time's own (both UTC,
 * 24-hour, two digits). Anything else goes through Intl.
 */
export function formatUtc(iso: string): string {
  if (!ISO_UTC.test(iso)) return dateFormat.format(new Date(iso));
  const day = iso.slice(0, 10);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const midnight = dateFormat.format(new Date(`${day}T00:00:00.000Z`));
    if (!midnight.endsWith('00:00')) return dateFormat.format(new Date(iso));
    prefix = midnight.slice(0, -5);
    if (dayPrefixes.size >= 10_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  return prefix + iso.slice(11, 16);
}

const when = (iso: string) => html`<time datetime="${iso}">${formatUtc(iso)} UTC</time>`;

const STATUS_NOTES: Record<string, string> = {
  pending: 'Only you can see this comment until a moderator has looked at it.',
  rejected: 'This comment was not published.',
};

function commentForm(
  m: StoryPageModel,
  parentId: string | null,
  label: string,
  draft = '',
  confirmed = false,
  action = `/stories/${m.story.id}/comments`,
): Html {
  return html`<form method="post" action="${action}" class="comment-form">
    <input type="hidden" name="_csrf" value="${m.csrfToken ?? ''}">
    ${parentId ? html`<input type="hidden" name="parentId" value="${parentId}">` : ''}
    ${confirmed ? html`<input type="hidden" name="confirmed" value="1">` : ''}
    <label>${label}<textarea name="body" rows="4" maxlength="20000" required>${draft}</textarea></label>
    <button type="submit">${confirmed ? 'Post anyway' : draft ? 'Check again and post' : 'Post'}</button>
    <small>Markdown works: **bold**, _italic_, [links](https://example.com), &gt; quotes.</small>
  </form>`;
}

function voteButtons(m: StoryPageModel, c: CommentView): Html {
  const own = m.user?.id === c.author?.id;
  if (!m.user || own || c.status !== 'published' || c.deleted) {
    return html`<span class="score" title="score">${c.score}</span>`;
  }
  const button = (value: number, symbol: string, name: string) => {
    const next = c.myVote === value ? 0 : value;
    return html`<form method="post" action="/comments/${c.id}/vote" class="inline">
      <input type="hidden" name="_csrf" value="${m.csrfToken ?? ''}">
      <input type="hidden" name="value" value="${next}">
      <button type="submit" class="vote${c.myVote === value ? ' voted' : ''}" aria-pressed="${c.myVote === value ? 'true' : 'false'}" aria-label="${name}">${symbol}</button>
    </form>`;
  };
  return html`${button(1, '▲', 'Vote up')}<span class="score" title="score">${c.score}</span>${button(-1, '▼', 'Vote down')}`;
}

/** Whether the viewer may write on this story: anyone signed in while it is not closed, its site's staff always. */
const writable = (m: StoryPageModel) => m.user !== null && (m.story.current.state !== 'closed' || isStaffOf(m.user, m.story.site_id));

function ownActions(m: StoryPageModel, c: CommentView): Html {
  if (!m.user || m.user.id !== c.author?.id || c.deleted) return html``;
  const editable = writable(m) && Date.now() - Date.parse(c.createdAt) < m.editWindowMs;
  return html`${editable
    ? html`<details class="edit"><summary>Edit</summary>
        <form method="post" action="/comments/${c.id}/edit" class="comment-form">
          <input type="hidden" name="_csrf" value="${m.csrfToken ?? ''}">
          <textarea name="body" rows="4" maxlength="20000" required>${c.source ?? ''}</textarea>
          <button type="submit">Save</button>
        </form></details>`
    : ''}
    <form method="post" action="/comments/${c.id}/delete" class="inline">
      <input type="hidden" name="_csrf" value="${m.csrfToken ?? ''}">
      <button type="submit" class="link">Delete</button>
    </form>`;
}

/** How the form words each report reason (the list itself is the API's: a reason added there must be worded here). */
const REPORT_REASON_TEXT: Record<ReportReason, string> = {
  abuse: 'Abusive or insulting',
  threat: 'A threat',
  spam: 'Spam',
  off_topic: 'Off topic',
  other: 'Something else',
};

function reportForm(m: StoryPageModel, c: CommentView): Html {
  if (!m.user || m.user.id === c.author?.id || c.deleted || c.status !== 'published') return html``;
  return html`<details class="report"><summary>Report</summary>
    <form method="post" action="/comments/${c.id}/report" class="comment-form">
      <input type="hidden" name="_csrf" value="${m.csrfToken ?? ''}">
      <label>Why should a moderator look at this?
        <select name="reason">${REPORT_REASONS.map((value) => html`<option value="${value}">${REPORT_REASON_TEXT[value]}</option>`)}</select></label>
      <label>Note (optional)<input name="note" maxlength="1000"></label>
      <button type="submit">Send report</button>
    </form></details>`;
}

function renderComment(m: StoryPageModel, c: CommentView, depth: number, parent: CommentView | null): Html {
  const author = c.deleted ? html`<span class="author deleted">[deleted]</span>` : html`<strong class="author">${c.author?.username}</strong>`;
  const answers = c.replyTo ?? (parent ? { id: parent.id, author: parent.author?.username ?? null } : null);
  const inReplyTo = answers
    ? html`<a class="in-reply-to" href="#c-${answers.id}">in reply to ${answers.author ?? '[deleted]'}</a>`
    : '';
  const body = c.deleted ? html`<p class="placeholder">[deleted]</p>` : trusted(c.bodyHtml);
  const note = STATUS_NOTES[c.status];
  const reasons = c.reasons?.length ? html`<ul class="reasons">${c.reasons.map((r) => html`<li>${r.message}</li>`)}</ul>` : '';
  // The author sees which of their words drove the classifier (only they get the source and the spans).
  const marks = c.highlights?.length && c.source
    ? html`<blockquote class="highlighted" aria-label="The words that weighed most, marked">${highlighted(c.source, c.highlights)}</blockquote>`
    : '';
  const childDepth = Math.min(depth + 1, MAX_NESTING);
  const children = c.replies.map((reply) => renderComment(m, reply, childDepth, c));
  const replyForm =
    writable(m) && !c.deleted && c.status === 'published'
      ? html`<details class="reply"><summary>Reply</summary>${commentForm(m, c.id, `Reply to ${c.author?.username ?? ''}`)}</details>`
      : '';
  const more = c.moreReplies
    ? html`<p class="more-replies"><a href="/stories/${m.story.id}/comments/${c.id}">More replies</a></p>`
    : '';
  const comment = html`<article class="comment status-${c.status}" id="c-${c.id}" data-depth="${depth}">
    <header>
      ${author} ${inReplyTo}
      <a class="permalink" href="#c-${c.id}">${when(c.createdAt)}</a>
      ${c.editedAt ? html`<span class="edited" title="edited ${c.editedAt}">(edited)</span>` : ''}
      ${c.status !== 'published' ? html`<span class="badge">${c.status}</span>` : ''}
      ${c.featured ? html`<span class="badge featured">Featured</span>` : ''}
    </header>
    ${note ? html`<p class="status-note">${note}</p>` : ''}${reasons}${marks}
    <div class="body">${body}</div>
    <footer>${voteButtons(m, c)} ${replyForm} ${ownActions(m, c)} ${reportForm(m, c)}</footer>
  </article>`;
  // Past the nesting limit replies are laid out beside their parent, not inside it.
  if (depth + 1 > MAX_NESTING) return html`${comment}${children}`;
  return html`${comment}${children.length ? html`<div class="replies">${children}</div>` : ''}${more}`;
}

/**
 * The nudge: why a draft would not go straight up, its words marked, and what posting it would do. "Post anyway" is
 * offered only where posting can still lead to publication (held for a moderator); a draft that would be refused
 * is to be revised and checked again.
 */
function nudge(m: StoryPageModel, d: DraftReview): Html {
  const refused = d.decision === 'rejected';
  const label = d.editOf ? 'Your edit' : d.parentAuthor ? `Reply to ${d.parentAuthor}` : 'Join the discussion';
  const action = d.editOf ? `/comments/${d.editOf}/edit` : undefined;
  return html`<section class="nudge" role="alert">
    <p><strong>Before you ${d.editOf ? 'save' : 'post'}:</strong> ${refused ? 'this comment would be refused as it stands' : 'a moderator would have to read this comment before it appears'}, because:</p>
    <ul>${d.reasons.map((r) => html`<li>${r}</li>`)}</ul>
    ${d.highlights.length ? html`<blockquote class="highlighted" aria-label="The words that weighed most, marked">${highlighted(d.body, d.highlights)}</blockquote>` : ''}
    <p>${
      refused
        ? 'Revise it and check again: posted unchanged, it would be refused and nobody else would see it.'
        : 'Revise it, or post it as it is: it will wait for a moderator, who may publish it or not; until then only you see it.'
    }</p>
    ${commentForm(m, d.parentId, label, d.body, !refused, action)}
  </section>`;
}

/** The discussion: the one rendering of a thread, on the story page and in the embed's frame alike. */
export function discussion(m: StoryPageModel): Html {
  const { opening, comments, closing } = discussionParts(m);
  return html`${opening}${comments}${closing}`;
}

/** The discussion in three: what comes before the comments, each top-level comment with its replies, what follows. */
function discussionParts(m: StoryPageModel): { opening: Html; comments: Html[]; closing: Html } {
  const s = m.story;
  const sortLink = (sort: ThreadSort, label: string) =>
    sort === m.sort ? html`<strong>${label}</strong>` : html`<a href="/stories/${s.id}?sort=${sort}#comments">${label}</a>`;
  const nextHref = m.branchOf
    ? `/stories/${s.id}/comments/${m.branchOf}?after=${encodeURIComponent(m.thread.nextCursor ?? '')}#comments`
    : `/stories/${s.id}?sort=${m.sort}&cursor=${encodeURIComponent(m.thread.nextCursor ?? '')}#comments`;
  const next = m.thread.nextCursor
    ? html`<p class="pager"><a rel="next" href="${nextHref}">${m.branchOf ? 'More replies' : 'More comments'}</a></p>`
    : '';
  const sortNav = m.branchOf
    ? html`<nav class="sort"><a href="/stories/${s.id}#comments">Back to the whole discussion</a></nav>`
    : html`<nav class="sort" aria-label="Sort comments">Sort: ${sortLink('oldest', 'Oldest')} · ${sortLink('newest', 'Newest')} · ${sortLink('top', 'Top')}</nav>`;
  const join = m.draft ? nudge(m, m.draft)
    : m.story.current.state === 'closed'
    ? html`<p class="story-closed" role="status"><strong>Comments are closed.</strong> ${m.story.current.closedMessage ?? ''}</p>${
        writable(m) ? commentForm(m, null, 'Staff may still comment') : ''
      }`
    : m.user
    ? html`${m.story.current.state === 'premoderated' ? html`<p class="premoderated">Comments on this story are read by a moderator before they appear.</p>` : ''}${commentForm(m, null, 'Join the discussion')}`
    : html`<p class="join"><a href="/login?next=${encodeURIComponent(m.path)}">Log in</a> or <a href="/signup?next=${encodeURIComponent(m.path)}">sign up</a> to join the discussion.</p>${m.guests ? guestForm(m) : ''}`;
  const opening = html`<section class="discussion" id="comments" data-parley-thread data-story-id="${s.id}" data-last-event-id="${m.lastEventId ?? 0}">
    <h2>Discussion${m.commentCount === undefined ? '' : html` <small class="comment-count" data-count="${m.commentCount}">${m.commentCount} comment${m.commentCount === 1 ? '' : 's'}</small>`}</h2>
    ${m.notice ? html`<p class="notice ${m.notice.kind}" role="status" tabindex="-1">${m.notice.text}</p>` : ''}
    ${join}
    ${sortNav}
    `;
  const comments = m.thread.comments.length ? m.thread.comments.map((c) => renderComment(m, c, 0, null)) : [html`<p class="empty">No comments yet.</p>`];
  const closing = html`
    ${next}
  </section>`;
  return { opening, comments, closing };
}

/**
 * The story page, as UTF-8. Written piece by piece (the page's frame, the story, each top-level comment with its
 * replies): a single string of the whole page would be one two-byte string as soon as one comment holds a
 * character beyond Latin-1 (a dash, an emoji), and writing that as UTF-8 took twice as long as the pieces do.
 */
export function storyPage(m: StoryPageModel): Buffer {
  const s = m.story;
  const credit = s.byline || s.source
    ? html`<p class="credit">${s.byline ? html`by <span class="byline">${s.byline}</span>` : ''}${
        s.source ? html` via <span class="source">${s.source}</span>` : ''
      }</p>`
    : '';
  const figure = s.image_url
    ? html`<figure><img src="${s.image_url}" alt="${s.image_caption ?? ''}">${
        s.image_caption ? html`<figcaption>${s.image_caption}</figcaption>` : ''
      }</figure>`
    : '';
  const paragraphs = (s.body ?? '').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => html`<p>${p.trim()}</p>`);
  const { opening, comments, closing } = discussionParts(m);
  const story = html`<article class="story">
    <h1>${s.title}</h1>
    ${credit}
    <p class="published">Published ${when(new Date(s.published_at).toISOString())} · <a href="${s.url}" rel="noopener">original</a></p>
    ${figure}
    <div class="story-body">${paragraphs}</div>
  </article>
  ${opening}`;
  const [top, bottom] = layoutAround({ title: s.title, user: m.user, csrfToken: m.csrfToken, path: m.path, storyScript: true });
  const pieces = [Buffer.from(top + story.value)];
  for (const comment of comments) pieces.push(Buffer.from(comment.value));
  pieces.push(Buffer.from(closing.value + bottom));
  return Buffer.concat(pieces);
}
