// Sites' embed settings: the origins allowed to embed a site's threads, read by its staff and changed by its admins
// (or by whoever runs the `parley` command on the server).
import type { Storage } from '../storage/db.js';
import type { GuestMode, SiteRow, UserRow } from '../storage/schema.js';
import { setGuestMode } from '../storage/guests.js';
import { addSiteOrigin, findSite, listSiteOrigins, listSites, removeSiteOrigin, replaceSiteOrigins } from '../storage/sites.js';
import { normalizeOrigin } from './embed.js';
import { ParleyError, forbidden, notFound } from './errors.js';

/** At most this many origins per site: a list, not a registry. */
export const MAX_ORIGINS = 50;

export class SiteService {
  constructor(private readonly storage: Storage) {}

  private get db() {
    return this.storage.db;
  }

  private async site(staff: UserRow | null, siteId: string): Promise<SiteRow> {
    if (staff?.site_id && staff.site_id !== siteId) throw forbidden('This belongs to another site than yours.');
    const site = await findSite(this.db, siteId);
    if (!site) throw notFound('The site');
    return site;
  }

  /** Every site, oldest first (the command line's `site list`). */
  all(): Promise<SiteRow[]> {
    return listSites(this.db, null);
  }

  /** The origins allowed to embed the site; null staff: the command line, which may act on every site. */
  async origins(staff: UserRow | null, siteId: string): Promise<string[]> {
    await this.site(staff, siteId);
    return listSiteOrigins(this.db, siteId);
  }

  /** Replaces the site's allowed origins with these (normalized, duplicates merged); answers the stored list. */
  async setOrigins(admin: UserRow | null, siteId: string, origins: string[]): Promise<string[]> {
    await this.site(admin, siteId);
    const clean = [...new Set(origins.map(normalizeOrigin))].sort();
    if (clean.length > MAX_ORIGINS) throw new ParleyError(400, 'too_many_origins', `A site may list at most ${MAX_ORIGINS} origins.`);
    await replaceSiteOrigins(this.db, siteId, clean);
    return clean;
  }

  /** Adds one origin; answers it as stored. */
  async allowOrigin(admin: UserRow | null, siteId: string, origin: string): Promise<string> {
    await this.site(admin, siteId);
    const clean = normalizeOrigin(origin);
    const current = await listSiteOrigins(this.db, siteId);
    if (!current.includes(clean) && current.length >= MAX_ORIGINS) {
      throw new ParleyError(400, 'too_many_origins', `A site may list at most ${MAX_ORIGINS} origins.`);
    }
    await addSiteOrigin(this.db, siteId, clean);
    return clean;
  }

  /** Removes one origin; false when it was not on the list. */
  async disallowOrigin(admin: UserRow | null, siteId: string, origin: string): Promise<boolean> {
    await this.site(admin, siteId);
    return removeSiteOrigin(this.db, siteId, normalizeOrigin(origin));
  }

  /** Sets whether the site takes guests' comments (off by default) and how they are moderated (src/core/guests.ts). */
  async setGuestMode(admin: UserRow | null, siteId: string, mode: GuestMode): Promise<void> {
    await this.site(admin, siteId);
    await setGuestMode(this.db, siteId, mode);
  }
}
