// The queues: paged with cursors, filterable, worked with the keyboard. Actions are optimistic: an
// approved or rejected comment leaves the pending list at once and comes back if the server says no.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { ReasonDialog, HelpDialog } from '../Dialog.js';
import { href, navigate } from '../router.js';
import { useNotify } from '../toast.js';
import { labelName } from '../format.js';
import { LABELS, type Counts, type Me, type QueueItem, type QueueName, type QueueSort } from '../types.js';
import { ItemCard, type CardAction } from './ItemCard.js';

const QUEUES: Array<{ name: QueueName; title: string }> = [
  { name: 'pending', title: 'Pending' },
  { name: 'reported', title: 'Reported' },
  { name: 'rejected', title: 'Rejected' },
  { name: 'approved', title: 'Approved' },
  { name: 'all', title: 'All' },
];
const PAGE = 50;

const REJECT_PRESETS = ['Personal attack', 'Threatening language', 'Hate speech', 'Spam or advertising', 'Off topic', 'Obscene language'];
const BAN_PRESETS = ['Repeated abuse', 'Threats against others', 'Spam account', 'Hate speech'];
const DURATIONS = [
  { label: '1 day', hours: 24 },
  { label: '3 days', hours: 72 },
  { label: '1 week', hours: 168 },
  { label: '30 days', hours: 720 },
];

interface Filters {
  queue: QueueName;
  sort: QueueSort;
  label: string;
  storyId: string;
}

function filtersFrom(params: URLSearchParams): Filters {
  const queue = params.get('queue');
  const sort = params.get('sort');
  const label = params.get('label') ?? '';
  return {
    queue: QUEUES.some((q) => q.name === queue) ? (queue as QueueName) : 'pending',
    sort: sort === 'oldest' || sort === 'score' ? sort : 'newest',
    label: (LABELS as readonly string[]).includes(label) ? label : '',
    storyId: (params.get('storyId') ?? '').trim(),
  };
}

/** Whether a comment with this status still belongs in the queue. */
function belongs(queue: QueueName, item: QueueItem): boolean {
  const s = item.comment.status;
  switch (queue) {
    case 'pending':
      return s === 'pending';
    case 'reported':
      return s === 'published' && item.comment.openReports > 0;
    case 'rejected':
      return s === 'rejected';
    case 'approved':
      return s === 'published';
    case 'all':
      return true;
  }
}

type DialogState =
  | { kind: 'reject'; items: QueueItem[] }
  | { kind: 'ban'; item: QueueItem }
  | { kind: 'suspend'; item: QueueItem }
  | { kind: 'help' }
  | null;

interface ListState {
  items: QueueItem[];
  nextCursor: string | null;
  status: 'loading' | 'ready' | 'more' | 'error';
  error: string;
}

const message = (error: unknown) => (error instanceof ApiError || error instanceof Error ? error.message : String(error));

export function QueueScreen({ params, counts, me }: { params: URLSearchParams; counts: Counts | null; me: Me }) {
  const filters = useMemo(() => filtersFrom(params), [params.toString()]);
  const notify = useNotify();
  const [list, setList] = useState<ListState>({ items: [], nextCursor: null, status: 'loading', error: '' });
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<DialogState>(null);
  const [arrived, setArrived] = useState(0);
  const generation = useRef(0);
  const advanceAfterLoad = useRef(false);
  const listRef = useRef<HTMLDivElement>(null);

  // The latest state, for handlers that stay the same function across renders (so cards can skip re-rendering).
  const state = useRef({ list, currentId, selected, filters, dialog });
  state.current = { list, currentId, selected, filters, dialog };

  const setFilters = (change: Partial<Filters>) => {
    const f = { ...filters, ...change };
    navigate(
      href('queue', {
        queue: f.queue === 'pending' ? '' : f.queue,
        sort: f.sort === 'newest' ? '' : f.sort,
        label: f.label,
        storyId: f.storyId,
      }),
    );
  };

  const load = useCallback(
    async (mode: 'first' | 'more' | 'refresh') => {
      const f = state.current.filters;
      const cursor = mode === 'more' ? state.current.list.nextCursor : null;
      if (mode === 'more' && (!cursor || state.current.list.status !== 'ready')) return;
      const gen = mode === 'more' ? generation.current : ++generation.current;
      setList((l) => ({ ...l, status: mode === 'more' ? 'more' : mode === 'refresh' ? l.status : 'loading', error: '' }));
      try {
        const limit = mode === 'refresh' ? Math.min(100, Math.max(PAGE, state.current.list.items.length)) : PAGE;
        const page = await api.queue({
          queue: f.queue,
          sort: f.sort,
          ...(f.label ? { label: f.label } : {}),
          ...(f.storyId ? { storyId: f.storyId } : {}),
          limit,
          cursor,
        });
        if (gen !== generation.current) return;
        if (mode === 'more' && advanceAfterLoad.current) {
          advanceAfterLoad.current = false;
          const first = page.items.find((i) => !state.current.list.items.some((x) => x.comment.id === i.comment.id));
          if (first) setCurrentId(first.comment.id);
        }
        setList((l) => {
          if (mode === 'more') {
            const seen = new Set(l.items.map((i) => i.comment.id));
            return { items: [...l.items, ...page.items.filter((i) => !seen.has(i.comment.id))], nextCursor: page.nextCursor, status: 'ready', error: '' };
          }
          return { items: page.items, nextCursor: page.nextCursor, status: 'ready', error: '' };
        });
        if (mode !== 'more') {
          setArrived(0);
          setCurrentId((id) => (id && page.items.some((i) => i.comment.id === id) ? id : (page.items[0]?.comment.id ?? null)));
        }
      } catch (error) {
        if (gen !== generation.current) return;
        setList((l) => ({ ...l, status: l.items.length || mode === 'more' ? 'ready' : 'error', error: message(error) }));
        if (mode !== 'first') notify(`Could not load the queue: ${message(error)}`, 'error');
      }
    },
    [notify],
  );

  useEffect(() => {
    setSelected(new Set());
    setCurrentId(null);
    setList({ items: [], nextCursor: null, status: 'loading', error: '' });
    void load('first');
  }, [filters, load]);

  // New comments: the live counts went up, or say more wait than the whole list we hold.
  const lastCounts = useRef<Counts | null>(null);
  useEffect(() => {
    if (!counts) return;
    const before = lastCounts.current;
    lastCounts.current = counts;
    const key = filters.queue === 'pending' ? 'pending' : filters.queue === 'reported' ? 'reported' : null;
    if (!key) return;
    const unfiltered = !filters.label && !filters.storyId;
    let more = 0;
    if (before && counts[key] > before[key]) more = counts[key] - before[key];
    if (unfiltered && list.status === 'ready' && !list.nextCursor && counts[key] > list.items.length) {
      more = Math.max(more, counts[key] - list.items.length);
    }
    if (more <= 0) return;
    if (list.status === 'ready' && list.items.length === 0) void load('refresh');
    else setArrived((n) => n + more);
  }, [counts]);

  const items = list.items;
  const currentIndex = items.findIndex((i) => i.comment.id === currentId);

  // Keep the current item focused, and in view when the moderator moved to it (not when a list loads).
  const reveal = useRef(false);
  useLayoutEffect(() => {
    if (!currentId) return;
    const el = document.getElementById(`item-${currentId}`);
    if (el && !el.contains(document.activeElement) && !state.current.dialog) {
      el.focus({ preventScroll: true });
    }
    if (reveal.current) el?.scrollIntoView({ block: 'nearest' });
    reveal.current = false;
  }, [currentId]);
  useEffect(() => {
    if (currentIndex >= items.length - 5 && list.nextCursor && list.status === 'ready') void load('more');
  }, [currentIndex, items.length, list.nextCursor, list.status]);

  // Infinite scroll: load the next page when the end of the list comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver !== 'function') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void load('more');
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [load, list.status]);

  const markBusy = (ids: string[], on: boolean) =>
    setBusy((b) => {
      const next = new Set(b);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  /** Applies a change to items optimistically; returns a function that puts the old ones back. */
  const optimistic = (ids: string[], change: (item: QueueItem) => QueueItem) => {
    const { items: old, currentId: oldCurrent } = { items: state.current.list.items, currentId: state.current.currentId };
    const idSet = new Set(ids);
    const queue = state.current.filters.queue;
    const updated = old.map((i) => (idSet.has(i.comment.id) ? change(i) : i));
    const kept = updated.filter((i) => !idSet.has(i.comment.id) || belongs(queue, i));
    // The current item moves to the next one still in the list (or the previous at the end).
    let nextCurrent = oldCurrent;
    if (oldCurrent && !kept.some((i) => i.comment.id === oldCurrent)) {
      const at = old.findIndex((i) => i.comment.id === oldCurrent);
      const after = old.slice(at + 1).find((i) => kept.includes(i)) ?? [...old.slice(0, at)].reverse().find((i) => kept.includes(i));
      nextCurrent = after?.comment.id ?? null;
    }
    setList((l) => ({ ...l, items: kept }));
    setCurrentId(nextCurrent);
    setSelected((s) => {
      const n = new Set(s);
      for (const id of ids) if (!kept.some((i) => i.comment.id === id)) n.delete(id);
      return n;
    });
    return () => {
      // Put back the items the action touched, where they were, with their old state.
      const oldIds = new Set(old.map((i) => i.comment.id));
      setList((l) => {
        const now = new Map(l.items.map((i) => [i.comment.id, i]));
        const back: QueueItem[] = [];
        for (const i of old) {
          if (idSet.has(i.comment.id)) back.push(i);
          else {
            const still = now.get(i.comment.id);
            if (still) back.push(still);
          }
        }
        return { ...l, items: [...back, ...l.items.filter((i) => !oldIds.has(i.comment.id))] };
      });
    };
  };

  const setStatus = (status: QueueItem['comment']['status'], reason: string | null) => (i: QueueItem): QueueItem => ({
    ...i,
    comment: {
      ...i.comment,
      status,
      openReports: 0,
      featured: status === 'rejected' ? false : i.comment.featured,
      moderation: { by: me.user.id, at: new Date().toISOString(), reason },
    },
  });

  const approve = async (item: QueueItem, feature = false) => {
    const id = item.comment.id;
    const publish = setStatus('published', null);
    const undo = optimistic([id], (i) => {
      const after = publish(i);
      return feature ? { ...after, comment: { ...after.comment, featured: true } } : after;
    });
    markBusy([id], true);
    try {
      // One call, one audit entry: approving and featuring are a single action on the server.
      const result = await api.approve(id, feature);
      setList((l) => ({
        ...l,
        items: l.items.map((i) => (i.comment.id === id ? { ...i, comment: { ...i.comment, status: result.status, featured: result.featured } } : i)),
      }));
      notify(feature ? `Approved and featured the comment by ${item.author.username}` : `Approved the comment by ${item.author.username}`);
    } catch (error) {
      undo();
      notify(`Could not approve: ${message(error)}`, 'error');
    } finally {
      markBusy([id], false);
    }
  };

  const reject = async (targets: QueueItem[], reason: string) => {
    const ids = targets.map((t) => t.comment.id);
    const undo = optimistic(ids, setStatus('rejected', reason));
    markBusy(ids, true);
    try {
      if (ids.length === 1) {
        await api.reject(ids[0]!, reason);
        notify(`Rejected the comment by ${targets[0]!.author.username}`);
      } else {
        await bulkOutcome('reject', ids, reason, undo);
      }
    } catch (error) {
      undo();
      notify(`Could not reject: ${message(error)}`, 'error');
    } finally {
      markBusy(ids, false);
    }
  };

  const bulkOutcome = async (action: 'approve' | 'reject', ids: string[], reason: string | undefined, undo: () => void) => {
    const { results } = await api.bulk(action, ids, reason);
    const failed = results.filter((r) => !r.ok);
    if (failed.length) {
      undo();
      // Those that succeeded leave the list again; the failures stay, with the reason.
      const okIds = new Set(results.filter((r) => r.ok).map((r) => r.id));
      const status = action === 'approve' ? 'published' : 'rejected';
      setList((l) => ({
        ...l,
        items: l.items
          .map((i) => (okIds.has(i.comment.id) ? setStatus(status, reason ?? null)(i) : i))
          .filter((i) => !okIds.has(i.comment.id) || belongs(state.current.filters.queue, i)),
      }));
      notify(`${results.length - failed.length} done, ${failed.length} failed: ${failed[0]?.error?.message ?? 'unknown error'}`, 'error');
    } else {
      notify(`${action === 'approve' ? 'Approved' : 'Rejected'} ${results.length} comments`);
    }
  };

  const bulkApprove = async (targets: QueueItem[]) => {
    const ids = targets.map((t) => t.comment.id);
    if (!ids.length) return;
    const undo = optimistic(ids, setStatus('published', null));
    markBusy(ids, true);
    try {
      await bulkOutcome('approve', ids, undefined, undo);
    } catch (error) {
      undo();
      notify(`Could not approve: ${message(error)}`, 'error');
    } finally {
      markBusy(ids, false);
    }
  };

  const setFeatured = async (item: QueueItem, featured: boolean) => {
    if (featured && item.comment.status !== 'published') return approve(item, true);
    const id = item.comment.id;
    const undo = optimistic([id], (i) => ({ ...i, comment: { ...i.comment, featured } }));
    markBusy([id], true);
    try {
      await api.feature(id, featured);
      notify(featured ? `Featured the comment by ${item.author.username}` : 'No longer featured');
    } catch (error) {
      undo();
      notify(`Could not ${featured ? 'feature' : 'unfeature'}: ${message(error)}`, 'error');
    } finally {
      markBusy([id], false);
    }
  };

  const setAuthor = (authorId: string, status: QueueItem['author']['status'], suspendedUntil: string | null) =>
    setList((l) => ({
      ...l,
      items: l.items.map((i) => (i.author.id === authorId ? { ...i, author: { ...i.author, status, suspendedUntil } } : i)),
    }));

  const sanction = async (item: QueueItem, kind: 'ban' | 'suspend' | 'unban', reason: string, hours: number, alsoReject: boolean) => {
    const a = item.author;
    try {
      const result =
        kind === 'ban'
          ? await api.ban(a.id, reason)
          : kind === 'suspend'
            ? await api.suspend(a.id, new Date(Date.now() + hours * 3600_000).toISOString(), reason)
            : await api.unban(a.id);
      setAuthor(a.id, result.status, result.suspendedUntil);
      notify(kind === 'ban' ? `Banned ${a.username}` : kind === 'suspend' ? `Suspended ${a.username}` : `${a.username} may comment again`);
      if (alsoReject && item.comment.status !== 'rejected') await reject([item], reason);
    } catch (error) {
      notify(`Could not ${kind} ${a.username}: ${message(error)}`, 'error');
    }
  };

  // The newest handlers, behind one callback that never changes (so unchanged cards skip re-rendering).
  const actionRef = useRef({ approve, setFeatured, sanction, reject, bulkApprove });
  actionRef.current = { approve, setFeatured, sanction, reject, bulkApprove };

  const onAction = useCallback((item: QueueItem, action: CardAction) => {
    const { approve, setFeatured, sanction } = actionRef.current;
    reveal.current = true;
    setCurrentId(item.comment.id);
    switch (action) {
      case 'approve':
        void approve(item);
        break;
      case 'reject':
        setDialog({ kind: 'reject', items: [item] });
        break;
      case 'feature':
        void setFeatured(item, true);
        break;
      case 'unfeature':
        void setFeatured(item, false);
        break;
      case 'ban':
        setDialog({ kind: 'ban', item });
        break;
      case 'suspend':
        setDialog({ kind: 'suspend', item });
        break;
      case 'unban':
        void sanction(item, 'unban', '', 0, false);
        break;
      case 'select':
        setSelected((s) => {
          const n = new Set(s);
          if (n.has(item.comment.id)) n.delete(item.comment.id);
          else n.add(item.comment.id);
          return n;
        });
        break;
    }
  }, []);

  const onFocusItem = useCallback((id: string) => setCurrentId(id), []);

  const selectedItems = () => state.current.list.items.filter((i) => state.current.selected.has(i.comment.id));

  // Keyboard shortcuts, except while typing or while a dialog is open.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      if (state.current.dialog || document.querySelector('dialog[open]')) return;
      const { list: l, currentId: cur } = state.current;
      const index = l.items.findIndex((i) => i.comment.id === cur);
      const item = index >= 0 ? l.items[index] : undefined;
      const act = actionRef.current;
      let handled = true;
      reveal.current = true;
      switch (event.key) {
        case 'j': {
          if (index === l.items.length - 1 && l.nextCursor) {
            // At the end of what is loaded: move on as soon as the next page is here.
            advanceAfterLoad.current = true;
            void load('more');
            break;
          }
          const next = l.items[Math.min(l.items.length - 1, index + 1)];
          if (next) setCurrentId(next.comment.id);
          break;
        }
        case 'k': {
          const prev = l.items[Math.max(0, index - 1)];
          if (prev) setCurrentId(prev.comment.id);
          break;
        }
        case 'a':
          if (item && (item.comment.status !== 'published' || item.comment.openReports)) void act.approve(item);
          break;
        case 'r':
          if (item) setDialog({ kind: 'reject', items: [item] });
          break;
        case 'f':
          if (item && item.comment.status !== 'rejected') void act.setFeatured(item, !item.comment.featured);
          break;
        case 'b':
          if (item && item.author.status !== 'banned') setDialog({ kind: 'ban', item });
          break;
        case 's':
          if (item && item.author.status === 'active') setDialog({ kind: 'suspend', item });
          break;
        case 'x':
          if (item) onAction(item, 'select');
          break;
        case 'A': {
          const chosen = selectedItems();
          if (chosen.length) void act.bulkApprove(chosen);
          break;
        }
        case 'R': {
          const chosen = selectedItems();
          if (chosen.length) setDialog({ kind: 'reject', items: chosen });
          break;
        }
        case 'n':
          void load('refresh');
          break;
        case '?':
          setDialog({ kind: 'help' });
          break;
        default:
          handled = false;
          reveal.current = false;
      }
      if (handled) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [load, onAction]);

  const closeDialog = () => {
    setDialog(null);
    const id = state.current.currentId;
    if (id) window.setTimeout(() => document.getElementById(`item-${id}`)?.focus({ preventScroll: true }), 0);
  };

  const queueTitle = QUEUES.find((q) => q.name === filters.queue)!.title;
  const selectedCount = selected.size;

  return (
    <div class="queue-screen">
      <div class="queue-bar">
        <nav aria-label="Queues" class="queue-tabs">
          {QUEUES.map((q) => {
            const n = q.name === 'pending' ? counts?.pending : q.name === 'reported' ? counts?.reported : undefined;
            return (
              <button
                key={q.name}
                type="button"
                class="tab"
                aria-pressed={filters.queue === q.name ? 'true' : 'false'}
                onClick={() => setFilters({ queue: q.name })}
              >
                {q.title}
                {n !== undefined ? (
                  <span class="count" data-testid={`count-${q.name}`}>
                    {n}
                  </span>
                ) : null}
              </button>
            );
          })}
        </nav>
        <div class="filters">
          <label>
            <span>Label</span>
            <select value={filters.label} onChange={(e) => setFilters({ label: (e.currentTarget as HTMLSelectElement).value })}>
              <option value="">any</option>
              {LABELS.map((l) => (
                <option key={l} value={l}>
                  {labelName(l)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Sort</span>
            <select value={filters.sort} onChange={(e) => setFilters({ sort: (e.currentTarget as HTMLSelectElement).value as QueueSort })}>
              <option value="newest">newest first</option>
              <option value="oldest">oldest first</option>
              <option value="score">highest score</option>
            </select>
          </label>
          <form
            class="story-filter"
            onSubmit={(e) => {
              e.preventDefault();
              const value = ((e.currentTarget as HTMLFormElement).elements.namedItem('storyId') as HTMLInputElement).value.trim();
              setFilters({ storyId: value });
            }}
          >
            <label>
              <span>Story id</span>
              <input name="storyId" type="search" placeholder="any story" value={filters.storyId} key={filters.storyId} size={12} />
            </label>
          </form>
          <button type="button" class="link" onClick={() => setDialog({ kind: 'help' })} aria-keyshortcuts="?">
            Shortcuts <kbd>?</kbd>
          </button>
        </div>
      </div>

      {arrived > 0 ? (
        <div class="arrivals" role="status">
          <span>
            {arrived === 1 ? 'A new comment has' : `${arrived} new comments have`} arrived in {queueTitle.toLowerCase()}.
          </span>
          <button type="button" class="primary" onClick={() => void load('refresh')} aria-keyshortcuts="n">
            Show {arrived === 1 ? 'it' : 'them'} <kbd>n</kbd>
          </button>
        </div>
      ) : null}

      {selectedCount ? (
        <div class="bulk-bar" role="region" aria-label="Bulk actions">
          <span>
            <strong>{selectedCount}</strong> selected
          </span>
          <button type="button" class="approve" onClick={() => void bulkApprove(selectedItems())} aria-keyshortcuts="Shift+A">
            Approve selected
          </button>
          <button type="button" class="reject" onClick={() => setDialog({ kind: 'reject', items: selectedItems() })} aria-keyshortcuts="Shift+R">
            Reject selected…
          </button>
          <button type="button" class="link" onClick={() => setSelected(new Set(items.map((i) => i.comment.id)))}>
            Select all {items.length} loaded
          </button>
          <button type="button" class="link" onClick={() => setSelected(new Set())}>
            Clear
          </button>
        </div>
      ) : null}

      <h1 class="visually-hidden">{queueTitle} comments</h1>
      {list.status === 'ready' || list.status === 'more' ? (
        <p class="loaded muted">
          {(() => {
            const key = filters.queue === 'pending' || filters.queue === 'reported' ? filters.queue : null;
            const total = key && counts && !filters.label && !filters.storyId ? counts[key] : null;
            return total !== null && total >= items.length ? `Showing ${items.length} of ${total}` : `${items.length}${list.nextCursor ? '+' : ''} comments`;
          })()}
          {filters.label || filters.storyId ? (
            <>
              {' '}
              · filtered{filters.label ? ` by ${labelName(filters.label)}` : ''}
              {filters.storyId ? `${filters.label ? ' and' : ' by'} story` : ''}{' '}
              <button type="button" class="link" onClick={() => setFilters({ label: '', storyId: '' })}>
                clear filters
              </button>
            </>
          ) : null}
        </p>
      ) : null}
      <div class="list" ref={listRef} aria-busy={list.status === 'loading' ? 'true' : 'false'}>
        {list.status === 'loading' ? <p class="loading">Loading…</p> : null}
        {list.status === 'error' ? (
          <div class="empty" role="alert">
            <p>Could not load the queue: {list.error}</p>
            <button type="button" onClick={() => void load('first')}>
              Try again
            </button>
          </div>
        ) : null}
        {list.status !== 'loading' && list.status !== 'error' && items.length === 0 ? (
          <div class="empty">
            <p>
              <strong>Nothing here.</strong> {filters.queue === 'pending' ? 'Every held comment has been dealt with.' : 'No comments match.'}
            </p>
          </div>
        ) : null}
        {items.map((item) => (
          <ItemCard
            key={item.comment.id}
            item={item}
            current={item.comment.id === currentId}
            selected={selected.has(item.comment.id)}
            busy={busy.has(item.comment.id)}
            onAction={onAction}
            onFocusItem={onFocusItem}
          />
        ))}
        <div ref={sentinel} class="sentinel" />
        {list.nextCursor ? (
          <button type="button" class="load-more" disabled={list.status === 'more'} onClick={() => void load('more')}>
            {list.status === 'more' ? 'Loading…' : 'Load more'}
          </button>
        ) : items.length ? (
          <p class="end muted">End of the {queueTitle.toLowerCase()} queue.</p>
        ) : null}
      </div>

      {dialog?.kind === 'reject' ? (
        <ReasonDialog
          title={dialog.items.length === 1 ? 'Reject this comment' : `Reject ${dialog.items.length} comments`}
          lead={dialog.items.length === 1 ? <>The comment by {dialog.items[0]!.author.username} is hidden, and its author sees your reason.</> : 'Their authors see your reason.'}
          label="Reason (shown to the author)"
          presets={REJECT_PRESETS}
          confirm="Reject"
          danger
          onClose={closeDialog}
          onSubmit={({ reason }) => {
            const targets = dialog.items;
            closeDialog();
            void reject(targets, reason);
          }}
        />
      ) : dialog?.kind === 'ban' ? (
        <ReasonDialog
          title={`Ban ${dialog.item.author.username}`}
          lead="They will not be able to post, edit or vote on any story until the ban is lifted."
          label="Reason (shown to the user)"
          presets={BAN_PRESETS}
          confirm="Ban"
          danger
          checkbox={dialog.item.comment.status !== 'rejected' ? { label: 'Also reject this comment with the same reason', initial: dialog.item.comment.status === 'pending' } : undefined}
          onClose={closeDialog}
          onSubmit={({ reason, checked }) => {
            const item = dialog.item;
            closeDialog();
            void sanction(item, 'ban', reason, 0, checked);
          }}
        />
      ) : dialog?.kind === 'suspend' ? (
        <ReasonDialog
          title={`Suspend ${dialog.item.author.username}`}
          lead="They cannot post until the suspension ends."
          label="Reason (shown to the user)"
          presets={BAN_PRESETS}
          confirm="Suspend"
          danger
          durations={DURATIONS}
          checkbox={dialog.item.comment.status !== 'rejected' ? { label: 'Also reject this comment with the same reason', initial: false } : undefined}
          onClose={closeDialog}
          onSubmit={({ reason, hours, checked }) => {
            const item = dialog.item;
            closeDialog();
            void sanction(item, 'suspend', reason, hours, checked);
          }}
        />
      ) : dialog?.kind === 'help' ? (
        <HelpDialog onClose={closeDialog} />
      ) : null}
    </div>
  );
}
