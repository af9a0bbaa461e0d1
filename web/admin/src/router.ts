// Path routing under /admin with the History API: the server answers every /admin/* path with the console.
import { useEffect, useState } from 'preact/hooks';

export type Screen = 'queue' | 'dashboard' | 'audit' | 'policy' | 'stories' | 'people' | 'transfers' | 'webhooks';
const BASE = '/admin';

export interface Route {
  screen: Screen;
  params: URLSearchParams;
}

function read(): Route {
  const rest = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length).replace(/^\/+|\/+$/g, '') : '';
  const screens: readonly string[] = ['dashboard', 'audit', 'policy', 'stories', 'people', 'transfers', 'webhooks'];
  const screen: Screen = screens.includes(rest) ? (rest as Screen) : 'queue';
  return { screen, params: new URLSearchParams(location.search) };
}

export function href(screen: Screen, params?: Record<string, string>): string {
  const path = screen === 'queue' ? BASE : `${BASE}/${screen}`;
  const q = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString() : '';
  return q ? `${path}?${q}` : path;
}

const listeners = new Set<() => void>();

export function navigate(url: string, { replace = false } = {}): void {
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const l of listeners) l();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** A click on an in-console link: navigate without a reload (new tabs and modified clicks go to the browser). */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = (event.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a?.href) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}
