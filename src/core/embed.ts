// The embed's identities: a site's allowed origins and a story's canonical URL, each normalized so that one
// origin is written one way and one article never splits into two threads.
import { ParleyError } from './errors.js';

/** Query parameters that say where a reader came from, not which article it is: dropped from canonical URLs. */
const TRACKING_PARAMS = new Set(['fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'igshid', 'mc_cid', 'mc_eid', '_ga', '_gl', 'ocid']);
const isTracking = (name: string) => TRACKING_PARAMS.has(name.toLowerCase()) || /^utm_/i.test(name);

function parseWebUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ParleyError(400, 'invalid_url', `${what} must be a full http or https URL, such as https://news.example.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ParleyError(400, 'invalid_url', `${what} must be a full http or https URL, such as https://news.example.com.`);
  }
  if (url.username || url.password) throw new ParleyError(400, 'invalid_url', `${what} must not carry a user name or password.`);
  return url;
}

/**
 * An origin as a browser sends it: scheme://host[:port], lower case, without the scheme's default port.
 * Refuses anything with a path, query or fragment ("https://news.example.com/" is accepted: its path is empty).
 */
export function normalizeOrigin(value: string): string {
  const url = parseWebUrl(value, 'An origin');
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(value)) {
    throw new ParleyError(400, 'invalid_origin', `An origin is a scheme and host only, such as https://news.example.com (not ${JSON.stringify(value)}).`);
  }
  // URL already lower-cases the scheme and host and drops a default port.
  return url.origin;
}

/**
 * A story's identity: its canonical URL with the scheme and host in lower case, no default port, no fragment,
 * no user name, no trailing slash (but for the root), no tracking parameters (utm_*, fbclid, gclid, …), and the
 * remaining query parameters sorted by name (the order of equal names kept).
 */
export function normalizeStoryUrl(value: string): string {
  const url = parseWebUrl(value, 'The story URL');
  url.hash = '';
  const params = [...url.searchParams].filter(([name]) => !isTracking(name));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = params.length ? new URLSearchParams(params).toString() : '';
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url.toString();
}

/** The origin of a normalized URL. */
export const originOf = (url: string) => new URL(url).origin;
