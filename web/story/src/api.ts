// The one function every request of the story script goes through: same-origin, with the credentials of wherever
// the script runs. On a Parley page the session cookie rides along and writes carry the page's CSRF token
// (<meta name="csrf-token">); inside the embed frame, where cookies may be blocked, a token the sign-in pop-up
// left in sessionStorage ("parley.token") is sent as a bearer token instead.

export function csrfToken(root: ParentNode = document): string | null {
  return root.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content || document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content || null;
}

/** The bearer token the embed's sign-in left, if any. */
export function bearer(): string | null {
  try {
    return sessionStorage.getItem('parley.token');
  } catch {
    return null;
  }
}

export async function api(path: string, init: { method?: string; json?: unknown; form?: URLSearchParams } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: init.form ? 'text/html' : 'application/json' };
  const token = bearer();
  const csrf = csrfToken();
  if (token) headers.authorization = `Bearer ${token}`;
  else if (csrf) headers['x-csrf-token'] = csrf;
  let body: string | URLSearchParams | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) body = init.form;
  // Pages may sit in the browser's cache for a few seconds (stale-while-revalidate, for CDNs): the script always
  // asks the server again, which answers 304 when nothing changed.
  return fetch(path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, credentials: 'same-origin', cache: 'no-cache' });
}
