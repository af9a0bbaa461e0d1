// The queue's list: a page at a time with cursors, reloaded when the filters change, and told when new comments
// arrive (the live counts went up). Holds which item is current, since loading a list decides that too.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import { api } from '../api.js';
import type { Counts, QueueItem } from '../types.js';
import { PAGE, type Filters } from './filters.js';
import { message } from './messages.js';

export interface ListState {
  items: QueueItem[];
  nextCursor: string | null;
  status: 'loading' | 'ready' | 'more' | 'error';
  error: string;
}

export type LoadMode = 'first' | 'more' | 'refresh';

export interface QueueList {
  list: ListState;
  setList: (update: ListState | ((list: ListState) => ListState)) => void;
  currentId: string | null;
  setCurrentId: (update: string | null | ((id: string | null) => string | null)) => void;
  /** New comments counted since the list was loaded. */
  arrived: number;
  load: (mode: LoadMode) => Promise<void>;
  /** Set by "next" at the end of what is loaded: the next page's first new item becomes current. */
  advanceAfterLoad: RefObject<boolean>;
}

/** @param onReset called when the filters change, before the first page of the new list loads */
export function useQueueList(
  filters: Filters,
  counts: Counts | null,
  notify: (text: string, kind?: 'error') => void,
  onReset: () => void,
): QueueList {
  const [list, setList] = useState<ListState>({ items: [], nextCursor: null, status: 'loading', error: '' });
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [arrived, setArrived] = useState(0);
  const generation = useRef(0);
  const advanceAfterLoad = useRef(false);
  // The latest list and filters, for a load function that stays the same across renders.
  const latest = useRef({ list, filters });
  latest.current = { list, filters };

  const load = useCallback(
    async (mode: LoadMode) => {
      const f = latest.current.filters;
      const cursor = mode === 'more' ? latest.current.list.nextCursor : null;
      if (mode === 'more' && (!cursor || latest.current.list.status !== 'ready')) return;
      const gen = mode === 'more' ? generation.current : ++generation.current;
      setList((l) => ({ ...l, status: mode === 'more' ? 'more' : mode === 'refresh' ? l.status : 'loading', error: '' }));
      try {
        const limit = mode === 'refresh' ? Math.min(100, Math.max(PAGE, latest.current.list.items.length)) : PAGE;
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
          const first = page.items.find((i) => !latest.current.list.items.some((x) => x.comment.id === i.comment.id));
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
    onReset();
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

  return { list, setList, currentId, setCurrentId, arrived, load, advanceAfterLoad };
}
