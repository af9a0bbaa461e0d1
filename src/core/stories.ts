// Stories: publishing one on a site the staff member may act on, and reading one.
import type { Storage } from '../storage/db.js';
import type { StoryRow, UserRow } from '../storage/schema.js';
import type { Story, StoryPatch, StoryState } from '../contracts/api.js';
import { findDefaultSite, findSite, listSiteOrigins } from '../storage/sites.js';
import { normalizeOrigin, normalizeStoryUrl, originOf } from './embed.js';
import {
  countStoryComments,
  deleteStoryAndComments,
  findStoryByUrl,
  findStoryWithPolicy,
  insertStory,
  listSiteStories,
  listStories,
  updateStory,
  type StoryPageHeadRow,
} from '../storage/stories.js';
import { appendAudit } from '../storage/audit.js';
import { appendThreadEvent, inTransaction } from '../storage/events.js';
import { NO_EVENTS, storyEvent, type ThreadEventSink } from './events.js';
import { parsePolicy } from '../moderation/policy.js';
import { ParleyError, conflict, forbidden, notFound, assertActsOnSite, sitesActedOn } from './errors.js';

export interface StoryInput {
  url: string;
  title: string;
  byline?: string | undefined;
  source?: string | undefined;
  imageUrl?: string | undefined;
  imageCaption?: string | undefined;
  body?: string | undefined;
  publishedAt?: string | undefined;
  siteId?: string | undefined;
}

/** A story as the API shows it (the Story model in src/contracts). */
export type StoryView = Story;

/** The state in force now, and what readers of a closed story are told. */
export interface CurrentState {
  state: StoryState;
  closedMessage: string | null;
}

/** A story with the state in force now. */
export type CurrentStory = StoryRow & { current: CurrentState };

const DAY_MS = 86_400_000;

/** The state in force: an open story closes by itself autoCloseDays after it was published (0: never). */
export function currentState(s: StoryRow, autoCloseDays: number, now = Date.now()): CurrentState {
  if (s.state === 'closed') return { state: 'closed', closedMessage: s.closed_message?.trim() || 'Comments on this story are closed.' };
  if (s.state === 'open' && autoCloseDays > 0 && now >= s.published_at + autoCloseDays * DAY_MS) {
    const days = autoCloseDays === 1 ? 'a day' : `${autoCloseDays} days`;
    return { state: 'closed', closedMessage: `Comments on this story closed ${days} after it was published.` };
  }
  return { state: s.state, closedMessage: null };
}

/** Whether this viewer is staff of the story's site (staff see hidden stories and may still act on closed ones). */
export function isStaffOf(viewer: UserRow | null, siteId: string): boolean {
  return viewer !== null && viewer.role !== 'commenter' && (viewer.site_id === null || viewer.site_id === siteId);
}

/** Whether the story exists and this viewer may read it: hidden stories only by their site's staff. */
export function mayRead(story: Pick<StoryRow, 'state' | 'site_id'> | undefined, viewer: UserRow | null): story is Pick<StoryRow, 'state' | 'site_id'> {
  return story !== undefined && (story.state !== 'hidden' || isStaffOf(viewer, story.site_id));
}

/** A story read with its site's policy, as this viewer gets it: with the state in force, or 404 when hidden from them. */
function readableStory(story: StoryRow, policyJson: string, viewer: UserRow | null): CurrentStory {
  if (!mayRead(story, viewer)) throw notFound('The story');
  return { ...story, current: currentState(story, parsePolicy(policyJson).autoCloseDays) };
}

/** What a story page shows around its thread, as this viewer gets it (404 when the story is hidden from them). */
export interface StoryPageHead {
  story: CurrentStory;
  /** The latest thread event: the page's live updates start after it. */
  lastEventId: number;
  commentCount: number;
  /** Whether the story's site takes guests' comments. */
  guests: boolean;
}

export function storyPageHeadOf(row: StoryPageHeadRow, viewer: UserRow | null): StoryPageHead {
  const { site_policy_json, site_guest_comments, last_event_id, published_count, ...story } = row;
  return {
    story: readableStory(story, site_policy_json, viewer),
    lastEventId: last_event_id ?? 0,
    commentCount: published_count,
    guests: site_guest_comments !== 'off',
  };
}

/** The refusal a reader gets for writing on a closed story. */
export function storyClosed(current: CurrentState): ParleyError {
  return new ParleyError(403, 'story_closed', current.closedMessage ?? 'Comments on this story are closed.');
}

export function storyView(s: StoryRow, current: CurrentState = { state: s.state, closedMessage: s.closed_message }): StoryView {
  return {
    id: s.id,
    siteId: s.site_id,
    url: s.url,
    title: s.title,
    byline: s.byline,
    source: s.source,
    imageUrl: s.image_url,
    imageCaption: s.image_caption,
    body: s.body,
    publishedAt: new Date(s.published_at).toISOString(),
    createdAt: new Date(s.created_at).toISOString(),
    state: current.state,
    closedMessage: current.state === 'closed' ? current.closedMessage : null,
  };
}

function publishedAtOf(value: string): number {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new ParleyError(400, 'invalid_date', 'publishedAt must be a date and time such as 2026-11-25T08:00:00Z.');
  return at;
}

/** A story's image may also live on this server: a path such as /static/demo/picture.svg. */
function imageUrl(value: string): string {
  return /^\/(?![/\\])[\w\-./%]+$/.test(value) ? value : webUrl(value, 'imageUrl');
}

function webUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ParleyError(400, 'invalid_url', `${field} must be a full http or https URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ParleyError(400, 'invalid_url', `${field} must be a full http or https URL.`);
  }
  return url.toString();
}

const optional = (value: string | undefined) => (value?.trim() ? value.trim() : null);

export class StoryService {
  constructor(
    private readonly storage: Storage,
    /** Told of the thread event an edit raises (cached pages of the story go in every process). */
    private readonly events: ThreadEventSink = NO_EVENTS,
  ) {}

  private get db() {
    return this.storage.db;
  }

  /** The site a story goes to: the one asked for, else the staff member's own, else the default site. */
  private async siteFor(staff: UserRow, siteId: string | undefined) {
    if (staff.site_id && siteId && siteId !== staff.site_id) throw forbidden('You can only publish stories on your own site.');
    const wanted = siteId ?? staff.site_id;
    const site = wanted ? await findSite(this.db, wanted) : await findDefaultSite(this.db);
    if (!site) throw notFound('The site');
    return site;
  }

  /** Publishes a story on a site the staff member may act on. */
  async create(staff: UserRow, input: StoryInput): Promise<StoryRow> {
    const site = await this.siteFor(staff, input.siteId);
    // The same identity as the embed's: one article is one story however its URL was written.
    const url = normalizeStoryUrl(input.url);
    const title = input.title.trim();
    if (!title) throw new ParleyError(400, 'invalid_request', 'title must not be empty.');
    const publishedAt = input.publishedAt ? publishedAtOf(input.publishedAt) : Date.now();
    const existing = await findStoryByUrl(this.db, site.id, url);
    if (existing) throw conflict('story_exists', `A story with this URL already exists (id ${existing.id}).`);
    const story = {
      site_id: site.id,
      url,
      title,
      byline: optional(input.byline),
      source: optional(input.source),
      image_url: input.imageUrl?.trim() ? imageUrl(input.imageUrl.trim()) : null,
      image_caption: optional(input.imageCaption),
      body: optional(input.body),
      published_at: publishedAt,
    };
    try {
      return await insertStory(this.db, story);
    } catch (error) {
      const raced = await findStoryByUrl(this.db, site.id, url);
      if (raced) throw conflict('story_exists', `A story with this URL already exists (id ${raced.id}).`);
      throw error;
    }
  }

  /**
   * The story an embed shows, found by its canonical URL or created at its first view. The page embedding it
   * must be on one of the site's allowed origins, and so must the canonical URL (not necessarily the page's
   * own origin: a staging host shows the live article's thread). Nothing is created otherwise.
   */
  async forEmbed(siteId: string, pageOrigin: string | undefined, storyUrl: string, title: string | undefined): Promise<StoryRow & { current: CurrentState }> {
    const site = await findSite(this.db, siteId);
    if (!site) throw new ParleyError(404, 'site_not_found', `Parley has no site with the id ${JSON.stringify(siteId)}; check data-site (\`npx parley site list\` prints the ids).`);
    const allowed = await listSiteOrigins(this.db, site.id);
    const hint = (origin: string) => `Add it with \`npx parley site allow-origin --site ${site.id} ${origin}\` or in the console's site settings.`;
    let origin: string | undefined;
    try {
      origin = pageOrigin ? normalizeOrigin(pageOrigin) : undefined;
    } catch {
      origin = undefined;
    }
    if (!origin || !allowed.includes(origin)) {
      throw new ParleyError(403, 'origin_not_allowed', `This page's origin (${pageOrigin ?? 'unknown'}) may not embed threads of site ${site.id}. ${hint(origin ?? 'ORIGIN')}`);
    }
    let url = normalizeStoryUrl(storyUrl);
    // http and https of one allowed host are one article: prefer https when it is allowed.
    if (url.startsWith('http:') && allowed.includes(originOf(url).replace(/^http:/, 'https:'))) url = url.replace(/^http:/, 'https:');
    if (!allowed.includes(originOf(url))) {
      throw new ParleyError(403, 'story_url_not_allowed', `The story URL ${url} is not on one of site ${site.id}'s allowed origins, so no thread was created. Check data-story-url, or: ${hint(originOf(url))}`);
    }
    // The state in force (a story past its auto-close date reads closed); a hidden story is no one's to embed.
    const inForce = (story: StoryRow) => {
      if (story.state === 'hidden') throw notFound('The story');
      return { ...story, current: currentState(story, parsePolicy(site.policy_json).autoCloseDays) };
    };
    const existing = await findStoryByUrl(this.db, site.id, url);
    if (existing) return inForce(existing);
    const name = title?.trim().slice(0, 300);
    if (!name) throw new ParleyError(400, 'title_missing', 'The story has no title: give data-story-title, or an og:title meta tag on the page.');
    try {
      return inForce(
        await insertStory(this.db, {
          site_id: site.id,
          url,
          title: name,
          published_at: Date.now(),
        }),
      );
    } catch (error) {
      // Two first views at once: the other one created it.
      const raced = await findStoryByUrl(this.db, site.id, url);
      if (raced) return inForce(raced);
      throw error;
    }
  }

  /** One story with the state in force, or 404 (also when it is hidden and the viewer is not staff of its site). */
  async get(id: string, viewer: UserRow | null): Promise<CurrentStory> {
    const row = await findStoryWithPolicy(this.db, id);
    if (!row) throw notFound('The story');
    const { site_policy_json, site_model_version: _model, ...story } = row;
    return readableStory(story, site_policy_json, viewer);
  }

  /** A story of a site this staff member acts on, or 404 / 403. */
  private async ofStaff(staff: UserRow, id: string): Promise<CurrentStory> {
    const story = await this.get(id, staff);
    assertActsOnSite(staff, story.site_id, 'This story');
    return story;
  }

  /** Edits a story's fields and its state (open, closed with a message, premoderated, hidden), with its audit entry. */
  async update(staff: UserRow, id: string, patch: StoryPatch): Promise<CurrentStory> {
    const story = await this.ofStaff(staff, id);
    const changes: Partial<StoryRow> = {};
    if (patch.title !== undefined) {
      const title = patch.title.trim();
      if (!title) throw new ParleyError(400, 'invalid_request', 'title must not be empty.');
      changes.title = title;
    }
    if (patch.byline !== undefined) changes.byline = optional(patch.byline ?? undefined);
    if (patch.source !== undefined) changes.source = optional(patch.source ?? undefined);
    if (patch.imageCaption !== undefined) changes.image_caption = optional(patch.imageCaption ?? undefined);
    if (patch.body !== undefined) changes.body = optional(patch.body ?? undefined);
    if (patch.imageUrl !== undefined) changes.image_url = patch.imageUrl?.trim() ? imageUrl(patch.imageUrl.trim()) : null;
    if (patch.publishedAt !== undefined) changes.published_at = publishedAtOf(patch.publishedAt);
    if (patch.state !== undefined) changes.state = patch.state;
    if (patch.closedMessage !== undefined) changes.closed_message = optional(patch.closedMessage ?? undefined);
    const { current: _current, ...before } = story;
    const after = { ...before, ...changes };
    const now = Date.now();
    const eventId = await inTransaction(this.db, async (trx) => {
      await updateStory(trx, id, changes);
      await appendAudit(
        trx,
        {
          site_id: story.site_id,
          actor_id: staff.id,
          action: 'story.update',
          target_type: 'story',
          target_id: id,
          reason: null,
          before_json: JSON.stringify(storyView(before)),
          after_json: JSON.stringify(storyView(after)),
        },
        now,
      );
      return appendThreadEvent(trx, storyEvent(story, now));
    });
    this.events.raised(eventId);
    return this.get(id, staff);
  }

  /**
   * Deletes a story. One with comments goes, with them, only when deleteComments confirms it (409 otherwise); the
   * audit entry records the story and how many comments went.
   */
  async remove(staff: UserRow, id: string, deleteComments: boolean): Promise<number> {
    const story = await this.ofStaff(staff, id);
    const { current: _current, ...row } = story;
    return inTransaction(this.db, async (trx) => {
      const comments = await countStoryComments(trx, id);
      if (comments > 0 && !deleteComments) {
        const n = comments === 1 ? '1 comment' : `${comments} comments`;
        throw conflict('story_has_comments', `The story has ${n}; confirm with deleteComments=true to delete them with it.`);
      }
      const deleted = await deleteStoryAndComments(trx, id);
      await appendAudit(trx, {
        site_id: story.site_id,
        actor_id: staff.id,
        action: 'story.delete',
        target_type: 'story',
        target_id: id,
        reason: null,
        before_json: JSON.stringify({ ...storyView(row), comments }),
        after_json: null,
      });
      return deleted;
    });
  }

  /** The latest stories of the sites a staff member acts on (or of one of them), with their comment counts. */
  async listForStaff(staff: UserRow, siteId: string | null, limit: number) {
    const siteIds = sitesActedOn(staff, siteId);
    const rows = await listSiteStories(this.db, siteIds, limit);
    const policies = new Map<string, number>();
    for (const siteIdOf of new Set(rows.map((r) => r.site_id))) {
      const site = await findSite(this.db, siteIdOf);
      policies.set(siteIdOf, site ? parsePolicy(site.policy_json).autoCloseDays : 0);
    }
    return rows.map(({ comments, ...story }) => ({ story: storyView(story, currentState(story, policies.get(story.site_id) ?? 0)), comments }));
  }

  /** The latest stories, newest published first. */
  latest(limit: number): Promise<StoryRow[]> {
    return listStories(this.db, limit);
  }
}
