// The story page without full reloads: votes, replies, edits, deletions and paging happen in place, and the thread
// follows the live event stream (GET /api/events): new comments are announced, not pushed under the reader's eyes;
// edits, deletions, vote counts and removals apply at once. Without JavaScript the page's plain forms do it all.
// Finds its threads by [data-parley-thread] (data-story-id, data-last-event-id), so the embed frame reuses it.
import { api, bearer } from './api.js';
import { postAsGuest } from './guest.js';

interface ThreadEvent {
  id: number;
  type: string;
  storyId: string;
  commentId: string;
  parentId: string | null;
  status?: string;
  comment?: { bodyHtml: string; editedAt: string | null };
  score?: number;
}

const SELECTOR = '[data-parley-thread]';

/** The thread container of the same story in a page's HTML (a form's answer, the next page). */
function threadIn(htmlText: string, storyId: string): HTMLElement | null {
  const doc = new DOMParser().parseFromString(htmlText, 'text/html');
  return doc.querySelector<HTMLElement>(`${SELECTOR}[data-story-id="${storyId}"]`);
}

class Thread {
  private fresh = new Set<string>();
  constructor(readonly root: HTMLElement) {
    root.addEventListener('submit', (e) => void this.submit(e));
    root.addEventListener('click', (e) => void this.click(e));
  }
  get storyId(): string {
    return this.root.dataset.storyId ?? '';
  }
  private comment(id: string): HTMLElement | null {
    return this.root.querySelector<HTMLElement>(`#c-${CSS.escape(id)}`);
  }

  /** Puts a freshly rendered thread in place of this one, keeping the reader where they were. */
  private replace(next: HTMLElement, focusId?: string): void {
    this.root.replaceChildren(...Array.from(next.childNodes));
    for (const [k, v] of Object.entries(next.dataset)) if (v !== undefined) this.root.dataset[k] = v;
    this.fresh.clear();
    this.announce();
    const target = focusId ? this.comment(focusId) : null;
    if (target) {
      target.classList.add('highlight');
      target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: false });
    }
  }

  private async load(url: string, form?: URLSearchParams): Promise<HTMLElement | null> {
    const res = await api(url, form ? { form } : {});
    if (res.redirected && !res.url.startsWith(location.origin)) return null;
    const next = threadIn(await res.text(), this.storyId);
    if (form) {
      // An answer without this thread (log in first, an error page): let the browser send the form itself.
      if (!next) throw new Error('no thread in the answer');
      const before = new Set(Array.from(this.root.querySelectorAll('article.comment'), (el) => el.id));
      const added = Array.from(next.querySelectorAll('article.comment'), (el) => el.id).find((id) => !before.has(id));
      this.replace(next, added?.slice(2));
      // The address the plain form would have led to, with the new comment's anchor.
      history.replaceState(null, '', res.url.replace(/#.*$/, '') + (added ? `#${added}` : location.hash));
    }
    return next;
  }

  /** Loads this thread again, as it is now. */
  async reload(): Promise<void> {
    const next = await this.load(location.pathname + location.search);
    if (next) this.replace(next);
  }

  private async submit(e: SubmitEvent): Promise<void> {
    const form = e.target as HTMLFormElement;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
    e.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
    if (button) button.disabled = true;
    if (form.hasAttribute('data-parley-guest')) return void this.postAsGuest(form).finally(() => button && (button.disabled = false));
    try {
      const vote = /\/comments\/([0-9a-z]+)\/vote$/.exec(form.action);
      if (vote) {
        const value = Number(new FormData(form).get('value'));
        const res = await api(`/api/comments/${vote[1]}/vote`, { json: { value } });
        if (res.ok) this.applyVote(vote[1]!, ((await res.json()) as { score: number; myVote: number }));
        return;
      }
      const fields = new URLSearchParams();
      new FormData(form).forEach((v, k) => typeof v === 'string' && fields.append(k, v));
      await this.load(form.action, fields);
    } catch {
      form.submit();
    } finally {
      if (button?.isConnected) button.disabled = false;
    }
  }

  private async postAsGuest(form: HTMLFormElement): Promise<void> {
    // The form's status line; after the thread is rendered again, the new form's.
    const say = (text: string) => {
      const status = (form.isConnected ? form : this.root).querySelector<HTMLElement>('.guest-status');
      if (status) status.textContent = text;
    };
    try {
      const outcome = await postAsGuest(form, this.storyId, say);
      form.reset();
      if (outcome === 'published') {
        const next = await this.load(`/stories/${this.storyId}`);
        if (next) this.replace(next);
      }
      say(outcome === 'published' ? 'Your comment is published.' : 'Thanks: a moderator will read your comment before it appears.');
    } catch (error) {
      say((error as Error).message);
    }
  }

  private applyVote(id: string, { score, myVote }: { score: number; myVote: number }): void {
    const el = this.comment(id);
    if (!el) return;
    this.setScore(el, score);
    for (const form of el.querySelectorAll<HTMLFormElement>(':scope > footer form[action$="/vote"]')) {
      const button = form.querySelector('button')!;
      const input = form.querySelector<HTMLInputElement>('input[name=value]')!;
      const up = button.getAttribute('aria-label') === 'Vote up';
      const pressed = myVote === (up ? 1 : -1);
      button.classList.toggle('voted', pressed);
      button.setAttribute('aria-pressed', String(pressed));
      input.value = String(pressed ? 0 : up ? 1 : -1);
    }
  }

  private setScore(el: HTMLElement, score: number): void {
    const out = el.querySelector(':scope > footer .score');
    if (out) out.textContent = String(score);
  }

  private async click(e: MouseEvent): Promise<void> {
    const link = (e.target as Element).closest?.('a');
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey) return;
    if (link.matches('.parley-new')) {
      e.preventDefault();
      await this.reload();
      return;
    }
    // The next page of comments (or replies) is added below, not loaded over the page.
    if (link.matches('.pager a[rel=next]')) {
      e.preventDefault();
      const next = await this.load(link.href);
      if (!next) return;
      const pager = link.closest('.pager')!;
      const items = Array.from(next.querySelectorAll(':scope > article.comment, :scope > .replies, :scope > .more-replies, :scope > .pager'));
      pager.replaceWith(...items);
    }
  }

  /** A live change to this thread. */
  apply(event: ThreadEvent): void {
    const el = this.comment(event.commentId);
    switch (event.type) {
      case 'comment.created':
      case 'comment.moderated':
        if (el) {
          if (event.status && event.status !== 'published' && !el.classList.contains(`status-${event.status}`)) this.remove(el);
          else if (event.comment) this.setBody(el, event.comment.bodyHtml);
        } else if (event.status === 'published') this.arrived(event.commentId);
        break;
      case 'comment.edited':
        if (el && event.comment) this.setBody(el, event.comment.bodyHtml, true);
        else if (!el && event.status === 'published') this.arrived(event.commentId);
        break;
      case 'comment.voted':
        if (el && event.score !== undefined) this.setScore(el, event.score);
        break;
      case 'comment.deleted':
        if (el) {
          el.querySelector(':scope > .body')?.replaceChildren(Object.assign(document.createElement('p'), { className: 'placeholder', textContent: '[deleted]' }));
          const author = el.querySelector(':scope > header .author');
          if (author) author.textContent = '[deleted]';
          el.querySelector(':scope > footer')?.replaceChildren();
        }
        if (event.status === 'published') this.count(-1);
        break;
      case 'comment.removed':
        if (this.fresh.delete(event.commentId)) {
          this.announce();
          this.count(-1);
        }
        if (el) this.remove(el);
        break;
    }
  }

  private arrived(id: string): void {
    if (this.fresh.has(id)) return;
    this.fresh.add(id);
    this.count(1);
    this.announce();
  }

  private setBody(el: HTMLElement, bodyHtml: string, edited = false): void {
    // The server sanitized this HTML (raw HTML off, an allow-list of tags): it is the same the page shows.
    const body = el.querySelector(':scope > .body');
    if (body) body.innerHTML = bodyHtml;
    if (edited && !el.querySelector(':scope > header .edited')) {
      el.querySelector(':scope > header')?.append(Object.assign(document.createElement('span'), { className: 'edited', textContent: '(edited)' }));
    }
  }

  private remove(el: HTMLElement): void {
    const replies = el.nextElementSibling?.classList.contains('replies') ? el.nextElementSibling : null;
    replies?.remove();
    el.remove();
    this.count(-1);
  }

  private count(delta: number): void {
    const out = this.root.querySelector('.comment-count');
    const n = Number(out?.getAttribute('data-count'));
    if (!out || Number.isNaN(n)) return;
    const next = Math.max(0, n + delta);
    out.setAttribute('data-count', String(next));
    out.textContent = `${next} comment${next === 1 ? '' : 's'}`;
  }

  /** "3 new comments": shown when they have arrived, loaded when the reader asks. */
  private announce(): void {
    let link = this.root.querySelector<HTMLAnchorElement>('.parley-new');
    if (this.fresh.size === 0) {
      link?.parentElement?.remove();
      return;
    }
    if (!link) {
      const box = document.createElement('p');
      box.className = 'new-comments';
      box.setAttribute('role', 'status');
      link = Object.assign(document.createElement('a'), { className: 'parley-new', href: '#comments' });
      box.append(link);
      this.root.querySelector('.sort')?.after(box) ?? this.root.prepend(box);
    }
    link.textContent = `${this.fresh.size} new comment${this.fresh.size === 1 ? '' : 's'} · show`;
  }
}

/**
 * The stream's address. A reader signed in by bearer token (the embed's frame, where cookies may be blocked and
 * EventSource sends no Authorization header) first gets a short-lived ticket, so the stream shows them their own
 * held comments as well.
 */
async function streamUrl(storyIds: string[], lastEventId: number): Promise<string> {
  const url = `/api/events?stories=${storyIds.join(',')}&lastEventId=${lastEventId}`;
  if (!bearer()) return url;
  const res = await api('/api/events/tickets', { method: 'POST' }).catch(() => null);
  return res?.ok ? `${url}&ticket=${encodeURIComponent(((await res.json()) as { ticket: string }).ticket)}` : url;
}

function start(): void {
  const threads = Array.from(document.querySelectorAll<HTMLElement>(SELECTOR)).map((el) => new Thread(el));
  if (threads.length === 0 || typeof EventSource === 'undefined') return;
  const byStory = new Map(threads.map((t) => [t.storyId, t]));
  // One connection for every thread on the page; the browser resumes it with Last-Event-ID.
  let last = Math.max(0, ...threads.map((t) => Number(t.root.dataset.lastEventId) || 0));
  const onEvent = (e: MessageEvent<string>) => {
    if (e.lastEventId) last = Number(e.lastEventId);
    const event = JSON.parse(e.data) as ThreadEvent;
    byStory.get(event.storyId)?.apply(event);
  };
  const connect = async () => {
    const source = new EventSource(await streamUrl([...byStory.keys()], last), { withCredentials: true });
    for (const type of ['comment.created', 'comment.edited', 'comment.deleted', 'comment.voted', 'comment.moderated', 'comment.removed']) {
      source.addEventListener(type, onEvent as EventListener);
    }
    source.addEventListener('ready', () => document.documentElement.setAttribute('data-parley-live', 'on'));
    // Too far behind to catch up (the missed events were pruned, or too many): every thread is loaded again.
    source.addEventListener('reset', (e) => {
      if ((e as MessageEvent).lastEventId) last = Number((e as MessageEvent).lastEventId);
      for (const t of threads) void t.reload();
    });
    // The browser gives up on a refused reconnection (an expired ticket): connect again with a new one.
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) setTimeout(() => void connect(), 2000);
    });
  };
  void connect();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
