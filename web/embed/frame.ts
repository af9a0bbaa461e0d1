// The script inside the embed's frame (and on the last page of its sign-in pop-up). With third-party cookies
// blocked the frame has no session: a reader signs in through a pop-up to Parley, which hands back a short-lived
// token by postMessage; the frame keeps it in sessionStorage 'parley.token' and sends it as a bearer token.
// Forms and links inside the discussion are then sent with fetch and the discussion is swapped in place, unless
// another script (the story page's in-place script) has already handled the event.
(() => {
  const TOKEN_KEY = 'parley.token';
  const root = document.documentElement;

  // The pop-up's last page: give the token to the frame that opened it, same origin only, then close.
  const handed = document.querySelector<HTMLMetaElement>('meta[name="parley-token"]')?.content;
  if (handed) {
    let opener: Window | null = null;
    try {
      // Reading the opener's location throws unless it is a Parley page: nobody else gets the token.
      if (window.opener && (window.opener as Window).location.origin === location.origin) opener = window.opener as Window;
    } catch {
      opener = null;
    }
    if (opener) {
      opener.postMessage({ type: 'parley:token', token: handed }, location.origin);
      window.close();
    }
    return;
  }
  if (!root.hasAttribute('data-parley-frame')) return;

  const parentOrigin = root.dataset.parentOrigin!;
  // With third-party cookies blocked, Chromium also denies this frame its sessionStorage (a SecurityError). Then a
  // stand-in kept in memory takes its place on this window, so that every script of the frame (the story page's
  // in-place script reads sessionStorage 'parley.token' too) finds the token the same way.
  let store: Storage;
  try {
    store = window.sessionStorage;
    store.getItem(TOKEN_KEY);
  } catch {
    const map = new Map<string, string>();
    store = {
      getItem: (key: string) => map.get(key) ?? null,
      setItem: (key: string, value: string) => void map.set(key, String(value)),
      removeItem: (key: string) => void map.delete(key),
      clear: () => map.clear(),
      key: (index: number) => [...map.keys()][index] ?? null,
      get length() {
        return map.size;
      },
    };
    try {
      Object.defineProperty(window, 'sessionStorage', { value: store, configurable: true });
    } catch {
      // The frame's own calls still use the stand-in.
    }
  }
  const token = () => store.getItem(TOKEN_KEY);
  const setToken = (value: string | null) => (value ? store.setItem(TOKEN_KEY, value) : store.removeItem(TOKEN_KEY));
  const headers = (): Record<string, string> => {
    const t = token();
    return t ? { authorization: `Bearer ${t}` } : { 'x-csrf-token': root.dataset.csrf ?? '' };
  };

  // Theme: values the server checked, applied through the CSSOM (the policy allows no inline styles).
  if (root.dataset.accent) root.style.setProperty('--accent', root.dataset.accent);
  if (root.dataset.font) root.style.setProperty('--font', root.dataset.font);

  // Height: tell the host page (and only it) how tall the discussion is.
  let lastHeight = 0;
  const report = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      parent.postMessage({ type: 'parley:height', height }, parentOrigin);
    }
  };
  new ResizeObserver(report).observe(document.documentElement);
  addEventListener('load', report);

  const parse = (text: string) => new DOMParser().parseFromString(text, 'text/html');
  const frameUrl = () => location.href;

  /** Reloads the whole frame for the current reader (after signing in or out). */
  async function refresh() {
    const response = await fetch(frameUrl(), { headers: headers(), credentials: 'same-origin' });
    if (response.status === 401 && token()) {
      setToken(null);
      return refresh();
    }
    const doc = parse(await response.text());
    for (const name of ['data-signed-in', 'data-csrf']) root.setAttribute(name, doc.documentElement.getAttribute(name) ?? '');
    document.body.replaceWith(document.importNode(doc.body, true));
    report();
  }

  /** Swaps the discussion for the one in a page the server answered, and moves focus to what changed. */
  function swap(text: string, focusNew: boolean, from: string | null = null) {
    const next = parse(text).getElementById('comments');
    const current = document.getElementById('comments');
    if (!next || !current) return;
    const before = new Set([...current.querySelectorAll('article.comment')].map((a) => a.id));
    const fresh = document.importNode(next, true);
    current.replaceWith(fresh);
    const nudge = fresh.querySelector<HTMLElement>('.nudge textarea');
    const added = [...fresh.querySelectorAll<HTMLElement>('article.comment')].find((a) => !before.has(a.id));
    const notice = fresh.querySelector<HTMLElement>('.notice');
    // Else back to the comment the reader acted on (a vote, an edit), so that focus is never lost to the page's top.
    const same = from ? document.getElementById(from) : null;
    const control = same?.querySelector<HTMLElement>('button.vote.voted, button.vote') ?? same;
    const target = nudge ?? (focusNew ? added : null) ?? notice ?? control;
    if (target) {
      if (!target.hasAttribute('tabindex') && target.tagName === 'ARTICLE') target.tabIndex = -1;
      target.focus();
      target.scrollIntoView({ block: 'nearest' });
    }
    report();
  }

  async function send(url: string, init: RequestInit, focusNew: boolean, from: string | null = null) {
    const response = await fetch(url, { ...init, headers: { ...headers(), ...(init.headers as Record<string, string>) }, credentials: 'same-origin' });
    if (response.status === 401 && token()) {
      setToken(null);
      return refresh();
    }
    swap(await response.text(), focusNew, from);
  }

  let popup: Window | null = null;
  function signIn() {
    popup = window.open('/login?next=/embed/signed-in', 'parley-sign-in', 'popup,width=480,height=640');
    if (!popup) window.open('/login?next=/embed/signed-in', '_blank');
  }
  addEventListener('message', (event) => {
    if (event.origin !== location.origin || !popup || event.source !== popup) return;
    const data = event.data as { type?: unknown; token?: unknown };
    if (data?.type !== 'parley:token' || typeof data.token !== 'string') return;
    setToken(data.token);
    popup = null;
    void refresh().then(() => document.querySelector<HTMLElement>('#comments textarea')?.focus());
  });

  // The host page's sign-on token (data-sso-token on its div, handed over by the loader): exchanged for a bearer token.
  addEventListener('message', (event) => {
    if (event.origin !== parentOrigin || event.source !== parent) return;
    const data = event.data as { type?: unknown; token?: unknown };
    if (data?.type !== 'parley:sso' || typeof data.token !== 'string') return;
    void fetch('/api/auth/sso', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: data.token, siteId: root.dataset.site, bearer: true }),
      credentials: 'omit',
    })
      .then(async (response) => {
        const answer = (await response.json()) as { accessToken?: string; error?: { code: string; message: string } };
        if (!answer.accessToken) return console.error(`Parley: the host site's sign-on was refused: ${answer.error?.code}: ${answer.error?.message}`);
        setToken(answer.accessToken);
        await refresh();
      })
      .catch(() => undefined);
  });

  async function signOut() {
    await fetch('/api/auth/logout', { method: 'POST', headers: headers(), credentials: 'same-origin' }).catch(() => undefined);
    setToken(null);
    await refresh();
    document.querySelector<HTMLElement>('[data-parley-login]')?.focus();
  }

  // If a token is kept but the page was rendered for nobody (the frame's first load), ask again as the reader.
  if (token() && !root.dataset.signedIn) void refresh();

  addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const target = event.target as Element;
    if (target.closest('[data-parley-login]')) {
      event.preventDefault();
      return signIn();
    }
    if (target.closest('[data-parley-logout]')) {
      event.preventDefault();
      return void signOut();
    }
    const link = target.closest<HTMLAnchorElement>('a[href]');
    if (!link || link.target || link.origin !== location.origin) return;
    if (link.pathname === '/login' || link.pathname === '/signup') {
      event.preventDefault();
      return signIn();
    }
    if (link.pathname === location.pathname && link.hash && link.search === location.search) return; // an anchor in this page
    if (!link.pathname.startsWith('/stories/') && !link.pathname.startsWith('/embed/')) return;
    event.preventDefault();
    void send(link.href, {}, false);
  });

  addEventListener('submit', (event) => {
    if (event.defaultPrevented) return;
    const form = event.target as HTMLFormElement;
    if (form.method.toLowerCase() !== 'post' || new URL(form.action).origin !== location.origin) return;
    event.preventDefault();
    const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
    const posting = form.classList.contains('comment-form');
    const from = form.closest('article.comment')?.id ?? null;
    void send(form.action, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, posting, from);
  });
})();
