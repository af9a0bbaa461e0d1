// The queues: paged with cursors, filterable, worked with the keyboard. Actions are optimistic: an
// approved or rejected comment leaves the pending list at once and comes back if the server says no.
// The list and its loading live in useQueueList.ts, the actions in actions.ts, the dialogs in QueueDialogs.tsx.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { href, navigate } from '../router.js';
import { useNotify } from '../toast.js';
import { labelName, plural } from '../format.js';
import { LABELS, type Counts, type Me, type QueueItem, type QueueSort } from '../types.js';
import { ItemCard, type CardAction } from './ItemCard.js';
import { QUEUES, defaultSort, filtersFrom, type Filters } from './filters.js';
import { useQueueList } from './useQueueList.js';
import { queueActions } from './actions.js';
import { QueueDialogs, type DialogState } from './QueueDialogs.js';
import { SavedFilters } from './SavedFilters.js';
import { api } from '../api.js';
import { useLiveClaims } from '../live.js';

/** A claim lasts 90 s on the server; the console renews it this often while the item is the current one. */
const CLAIM_RENEW_MS = 30_000;

export function QueueScreen({
  params,
  counts,
  refreshCounts,
  me,
}: {
  params: URLSearchParams;
  counts: Counts | null;
  refreshCounts: () => void;
  me: Me;
}) {
  const filters = useMemo(() => filtersFrom(params), [params.toString()]);
  const notify = useNotify();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<DialogState>(null);
  const { list, setList, currentId, setCurrentId, arrived, load, advanceAfterLoad } = useQueueList(filters, counts, notify, () =>
    setSelected(new Set()),
  );
  const listRef = useRef<HTMLDivElement>(null);

  // The latest state, for handlers that stay the same function across renders (so cards can skip re-rendering).
  const state = useRef({ list, currentId, selected, filters, dialog });
  state.current = { list, currentId, selected, filters, dialog };

  const setFilters = (change: Partial<Filters>) => {
    const f = { ...filters, ...change };
    // Changing queues keeps a chosen order, and takes the new queue's default otherwise.
    if (change.queue && !change.sort && filters.sort === defaultSort(filters.queue)) f.sort = defaultSort(change.queue);
    navigate(
      href('queue', {
        queue: f.queue === 'pending' ? '' : f.queue,
        sort: f.sort === defaultSort(f.queue) ? '' : f.sort,
        label: f.label,
        storyId: f.storyId,
      }),
    );
  };

  // The current item is claimed while it is current: other moderators' consoles say "being reviewed by" this moderator.
  useEffect(() => {
    if (!currentId) return;
    // The release waits for the latest claim's answer, so that moving on quickly never leaves a claim behind.
    let latest: Promise<unknown> = Promise.resolve();
    const claim = () => (latest = api.claim(currentId).catch(() => undefined));
    claim();
    const renew = window.setInterval(claim, CLAIM_RENEW_MS);
    return () => {
      window.clearInterval(renew);
      void latest.then(() => api.releaseClaim(currentId)).catch(() => undefined);
    };
  }, [currentId]);
  const liveClaims = useLiveClaims();
  /** Who else reviews an item now: the live stream's word once it has spoken, the queue's before. */
  const reviewer = (item: QueueItem): string | null => {
    const claim = liveClaims ? (liveClaims.get(item.comment.id) ?? null) : item.claim;
    return claim && claim.by.id !== me.user.id ? claim.by.username : null;
  };

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

  const { approve, reject, bulkApprove, setFeatured, sanction } = queueActions({ state, setList, setCurrentId, setSelected, setBusy, notify, refreshCounts, me });

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
              <option value="severity">most severe first (threats)</option>
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
          <SavedFilters filters={filters} apply={setFilters} />
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
            return total !== null && total >= items.length ? `Showing ${items.length} of ${total}` : list.nextCursor ? `${items.length}+ comments` : plural(items.length, 'comment');
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
            reviewer={reviewer(item)}
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

      <QueueDialogs dialog={dialog} closeDialog={closeDialog} reject={reject} sanction={sanction} />
    </div>
  );
}
