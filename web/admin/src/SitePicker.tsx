// Which of the account's sites a screen shows: a picker when there are several (the choice is in the address as
// ?site=), the site's name when there is one.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { href, navigate, type Screen } from './router.js';
import type { Site } from './types.js';

/** The sites the account acts on: null while loading; `error` says why none could be shown. */
export function useSites(): { sites: Site[] | null; error: string } {
  const [sites, setSites] = useState<Site[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api.sites().then(
      ({ sites }) => (sites.length ? setSites(sites) : setError('there is no site yet.')),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  return { sites, error };
}

/** The site in the address, or the first one (the default site, or a moderator's own). */
export const pickedSite = (sites: Site[], params: URLSearchParams): Site => sites.find((s) => s.id === params.get('site')) ?? sites[0]!;

export function SitePicker({ screen, sites, site, locked }: { screen: Screen; sites: Site[]; site: Site; locked?: string }) {
  if (sites.length < 2) return <span class="site-name">{site.name}</span>;
  const id = `${screen}-site`;
  return (
    <div class="site-picker">
      <label for={id}>Site</label>
      <select
        id={id}
        value={site.id}
        disabled={Boolean(locked)}
        title={locked}
        onChange={(e) => navigate(href(screen, { site: (e.currentTarget as HTMLSelectElement).value }))}
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  );
}
