// What a moderator does to queue items: approve, reject, feature, one or many, and sanction their authors.
// Optimistic: the list changes at once and is put back if the server says no.
import { api } from '../api.js';
import type { Me, QueueItem } from '../types.js';
import { belongs, type Filters } from './filters.js';
import type { ListState, QueueList } from './useQueueList.js';
import { message } from './messages.js';
import { plural } from '../format.js';

export interface QueueActionContext {
  /** The latest state, read when an action runs (handlers outlive the render that made them). */
  state: { current: { list: ListState; currentId: string | null; selected: ReadonlySet<string>; filters: Filters } };
  setList: QueueList['setList'];
  setCurrentId: QueueList['setCurrentId'];
  setSelected: (update: (selected: ReadonlySet<string>) => ReadonlySet<string>) => void;
  setBusy: (update: (busy: ReadonlySet<string>) => ReadonlySet<string>) => void;
  notify: (text: string, kind?: 'ok' | 'error', undo?: () => void) => void;
  /** Reads the queue counts again at once, so that the badges follow an action without waiting for the next event. */
  refreshCounts: () => void;
  me: Me;
}

export type QueueActions = ReturnType<typeof queueActions>;

export function queueActions({ state, setList, setCurrentId, setSelected, setBusy, notify, refreshCounts, me }: QueueActionContext) {
  const markBusy = (ids: string[], on: boolean) =>
    setBusy((b) => {
      const next = new Set(b);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  /** Runs the server's side of an optimistic change: the items are busy meanwhile; on failure the change is undone and said. */
  const settle = async (ids: string[], undo: () => void, failure: string, run: () => Promise<void>) => {
    markBusy(ids, true);
    try {
      await run();
    } catch (error) {
      undo();
      notify(`${failure}: ${message(error)}`, 'error');
    } finally {
      markBusy(ids, false);
      refreshCounts();
    }
  };

  /**
   * Says what was done, with an Undo button while the server allows it: undoing takes the actions back on the server
   * (each answer's undo.actionId) and puts the items back as they were.
   */
  const offerUndo = (text: string, actionIds: Array<string | undefined>, putBack: () => void) => {
    const ids = actionIds.filter((id): id is string => id !== undefined);
    if (!ids.length) return notify(text);
    notify(text, 'ok', () => {
      void (async () => {
        try {
          for (const id of ids) await api.undo(id);
          putBack();
          notify('Undone');
        } catch (error) {
          notify(`Could not undo: ${message(error)}`, 'error');
        } finally {
          refreshCounts();
        }
      })();
    });
  };

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
    await settle([id], undo, 'Could not approve', async () => {
      // One call, one audit entry: approving and featuring are a single action on the server.
      const result = await api.approve(id, feature);
      setList((l) => ({
        ...l,
        items: l.items.map((i) => (i.comment.id === id ? { ...i, comment: { ...i.comment, status: result.status, featured: result.featured } } : i)),
      }));
      offerUndo(feature ? `Approved and featured the comment by ${item.author.username}` : `Approved the comment by ${item.author.username}`, [result.undo?.actionId], undo);
    });
  };

  const reject = async (targets: QueueItem[], reason: string) => {
    const ids = targets.map((t) => t.comment.id);
    const undo = optimistic(ids, setStatus('rejected', reason));
    await settle(ids, undo, 'Could not reject', async () => {
      if (ids.length === 1) {
        const result = await api.reject(ids[0]!, reason);
        offerUndo(`Rejected the comment by ${targets[0]!.author.username}`, [result.undo?.actionId], undo);
      } else {
        await bulkOutcome('reject', ids, reason, undo);
      }
    });
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
      offerUndo(`${action === 'approve' ? 'Approved' : 'Rejected'} ${plural(results.length, 'comment')}`, results.map((r) => r.undo?.actionId), undo);
    }
  };

  const bulkApprove = async (targets: QueueItem[]) => {
    const ids = targets.map((t) => t.comment.id);
    if (!ids.length) return;
    const undo = optimistic(ids, setStatus('published', null));
    await settle(ids, undo, 'Could not approve', () => bulkOutcome('approve', ids, undefined, undo));
  };

  const setFeatured = async (item: QueueItem, featured: boolean) => {
    if (featured && item.comment.status !== 'published') return approve(item, true);
    const id = item.comment.id;
    const undo = optimistic([id], (i) => ({ ...i, comment: { ...i.comment, featured } }));
    await settle([id], undo, `Could not ${featured ? 'feature' : 'unfeature'}`, async () => {
      const result = await api.feature(id, featured);
      offerUndo(featured ? `Featured the comment by ${item.author.username}` : 'No longer featured', [result.undo?.actionId], undo);
    });
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
      offerUndo(
        kind === 'ban' ? `Banned ${a.username}` : kind === 'suspend' ? `Suspended ${a.username}` : `${a.username} may comment again`,
        [result.undo?.actionId],
        () => setAuthor(a.id, a.status, a.suspendedUntil),
      );
      if (alsoReject && item.comment.status !== 'rejected') await reject([item], reason);
    } catch (error) {
      notify(`Could not ${kind} ${a.username}: ${message(error)}`, 'error');
    }
  };

  return { approve, reject, bulkApprove, setFeatured, sanction };
}
