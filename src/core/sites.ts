// Sites' embed settings: the origins allowed to embed a site's threads, read by its staff and changed by its admins
// (or by whoever runs the `parley` command on the server).
import type { Storage } from '../storage/db.js';
import type { GuestMode, SiteRow, UserRow } from '../storage/schema.js';
import { setGuestMode } from '../storage/guests.js';
import { findSite, listSiteOrigins, listSites } from '../storage/sites.js';
import { changeSiteOrigins } from '../storage/audit.js';
import { normalizeOrigin } from './embed.js';
import { ParleyError, notFound, assertActsOnSite } from './errors.js';

/** The actor of audit entries made with the `parley` command on the server (it has no account). */
export const COMMAND_LINE_ACTOR = 'command-line';

/** At most this many origins per site: a list, not a registry. */
export const MAX_ORIGINS = 50;

export class SiteService {
  constructor(private readonly storage: Storage) {}

  private get db() {
    return this.storage.db;
  }

  private async site(staff: UserRow | null, siteId: string): Promise<SiteRow> {
    assertActsOnSite(staff, siteId);
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
    const clean = origins.map(normalizeOrigin);
    return (await this.changeOrigins(admin, siteId, () => clean)).after;
  }

  /** Adds one origin; answers it as stored. */
  async allowOrigin(admin: UserRow | null, siteId: string, origin: string): Promise<string> {
    const clean = normalizeOrigin(origin);
    await this.changeOrigins(admin, siteId, (current) => [...current, clean]);
    return clean;
  }

  /** Removes one origin; false when it was not on the list. */
  async disallowOrigin(admin: UserRow | null, siteId: string, origin: string): Promise<boolean> {
    const clean = normalizeOrigin(origin);
    const { before } = await this.changeOrigins(admin, siteId, (current) => current.filter((o) => o !== clean));
    return before.includes(clean);
  }

  /** Every change to the list is written to the audit log, by its admin or by the command line. */
  private async changeOrigins(admin: UserRow | null, siteId: string, change: (current: string[]) => string[]) {
    await this.site(admin, siteId);
    return changeSiteOrigins(
      this.db,
      siteId,
      (current) => {
        const next = change(current);
        if (new Set(next).size > MAX_ORIGINS) throw new ParleyError(400, 'too_many_origins', `A site may list at most ${MAX_ORIGINS} origins.`);
        return next;
      },
      { actor_id: admin?.id ?? COMMAND_LINE_ACTOR, reason: null },
    );
  }

  /** Sets whether the site takes guests' comments (off by default) and how they are moderated (src/core/guests.ts). */
  async setGuestMode(admin: UserRow | null, siteId: string, mode: GuestMode): Promise<void> {
    await this.site(admin, siteId);
    await setGuestMode(this.db, siteId, mode);
  }
}
