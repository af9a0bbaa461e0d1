/** A failure the client can act on: becomes {error: {code, message}} with this HTTP status. */
export class ParleyError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParleyError';
  }
}

export const notFound = (what: string) => new ParleyError(404, 'not_found', `${what} was not found.`);
export const forbidden = (message: string) => new ParleyError(403, 'forbidden', message);
export const conflict = (code: string, message: string) => new ParleyError(409, code, message);
export const unprocessable = (code: string, message: string) => new ParleyError(422, code, message);

/**
 * Staff tied to one site (site_id set) act only on that site; staff with no site act on every site.
 * The one place that decides it, so that every service refuses alike.
 */
export function assertActsOnSite(staff: { site_id: string | null } | null, siteId: string | null, what = 'This'): void {
  if (staff?.site_id && staff.site_id !== siteId) throw forbidden(`${what} belongs to another site than yours.`);
}

/** The sites a staff member acts on (null: every site), narrowed to `siteId` when one is asked for: theirs, or 403. */
export function sitesActedOn(staff: { site_id: string | null }, siteId: string | null = null): string[] | null {
  if (siteId) {
    assertActsOnSite(staff, siteId);
    return [siteId];
  }
  return staff.site_id ? [staff.site_id] : null;
}
