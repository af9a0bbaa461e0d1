// Stories: publishing one on a site the staff member may act on, and reading one.
import type { Storage } from '../storage/db.js';
import type { StoryRow, UserRow } from '../storage/schema.js';
import type { Story } from '../contracts/api.js';
import { findDefaultSite, findSite, listSiteOrigins } from '../storage/sites.js';
import { normalizeOrigin, normalizeStoryUrl, originOf } from './embed.js';
import { findStory, findStoryByUrl, insertStory, listStories } from '../storage/stories.js';
import { ParleyError, conflict, forbidden, notFound } from './errors.js';

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

export function storyView(s: StoryRow): StoryView {
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
  };
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
  constructor(private readonly storage: Storage) {}

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
    let publishedAt = Date.now();
    if (input.publishedAt) {
      publishedAt = Date.parse(input.publishedAt);
      if (Number.isNaN(publishedAt)) {
        throw new ParleyError(400, 'invalid_date', 'publishedAt must be a date and time such as 2026-11-25T08:00:00Z.');
      }
    }
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
  async forEmbed(siteId: string, pageOrigin: string | undefined, storyUrl: string, title: string | undefined): Promise<StoryRow> {
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
    const existing = await findStoryByUrl(this.db, site.id, url);
    if (existing) return existing;
    const name = title?.trim().slice(0, 300);
    if (!name) throw new ParleyError(400, 'title_missing', 'The story has no title: give data-story-title, or an og:title meta tag on the page.');
    try {
      return await insertStory(this.db, {
        site_id: site.id,
        url,
        title: name,
        published_at: Date.now(),
      });
    } catch (error) {
      // Two first views at once: the other one created it.
      const raced = await findStoryByUrl(this.db, site.id, url);
      if (raced) return raced;
      throw error;
    }
  }

  /** One story, or 404. */
  async get(id: string): Promise<StoryRow> {
    const story = await findStory(this.db, id);
    if (!story) throw notFound('The story');
    return story;
  }

  /** The latest stories, newest published first. */
  latest(limit: number): Promise<StoryRow[]> {
    return listStories(this.db, limit);
  }
}
