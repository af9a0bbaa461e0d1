// One article, one thread: a story's identity is its canonical URL, normalized so that the same article
// reached through different spellings of its address never splits into two threads.

/** Query parameters that track a visit rather than name a page. */
const TRACKING = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|_hsenc|_hsmi|ref_src)$/i;

/**
 * The normalized form of an article URL: http(s) only, host lower-cased, default port, fragment and
 * tracking parameters dropped, remaining parameters sorted, no trailing slash (but the root). Null for
 * anything that is not an http or https URL.
 */
export function canonicalStoryUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  const kept = [...url.searchParams].filter(([name]) => !TRACKING.test(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '');
  return url.toString();
}
