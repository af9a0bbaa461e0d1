// Live queue counts: Server-Sent Events from /api/moderation/events ("counts" events), and polling of
// /api/moderation/counts as a fallback when the stream cannot be opened at all. The same stream says which
// moderator reviews which item ("claims" events), for the queue's "being reviewed by" notes.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import type { Claim, Counts } from './types.js';

/** The claims the stream last announced (null before its first "claims" event), and who wants to know. */
let liveClaims: Claim[] | null = null;
const claimWatchers = new Set<(claims: Claim[] | null) => void>();

/** The claims in force, live, by comment id; null until the stream has said (then the queue's own `claim` holds). */
export function useLiveClaims(): Map<string, Claim> | null {
  const [claims, setClaims] = useState(liveClaims);
  useEffect(() => {
    claimWatchers.add(setClaims);
    setClaims(liveClaims);
    return () => void claimWatchers.delete(setClaims);
  }, []);
  return claims && new Map(claims.map((c) => [c.commentId, c]));
}

export type LiveState = 'connecting' | 'live' | 'polling';

export function useLiveCounts(): { counts: Counts | null; state: LiveState; setCounts: (c: Counts) => void; refresh: () => void } {
  const [counts, setCounts] = useState<Counts | null>(null);
  const [state, setState] = useState<LiveState>('connecting');
  // After an action the console asks at once: the stream only says so at its next poll of the database.
  const refresh = useCallback(() => {
    api.counts().then(setCounts, () => undefined);
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    let source: EventSource | null = null;

    const poll = async () => {
      try {
        const c = await api.counts();
        if (!stopped) setCounts(c);
      } catch {
        // keep the last numbers; the next poll tries again
      }
      if (!stopped) timer = window.setTimeout(poll, 5000);
    };

    if (typeof EventSource === 'function') {
      source = new EventSource('/api/moderation/events');
      source.addEventListener('counts', (event) => {
        try {
          const data = JSON.parse((event as MessageEvent<string>).data) as Counts;
          setCounts({ pending: data.pending, reported: data.reported });
          setState('live');
        } catch {
          // ignore a malformed event
        }
      });
      source.addEventListener('claims', (event) => {
        try {
          liveClaims = (JSON.parse((event as MessageEvent<string>).data) as { claims: Claim[] }).claims;
          for (const watch of claimWatchers) watch(liveClaims);
        } catch {
          // ignore a malformed event
        }
      });
      source.addEventListener('error', () => {
        // The browser reconnects by itself after a dropped stream; a stream that could not be opened
        // (an error status, a wrong content type) ends CLOSED: fall back to polling then.
        if (source && source.readyState === EventSource.CLOSED && !stopped) {
          source = null;
          setState('polling');
          void poll();
        } else if (!stopped) {
          setState('connecting');
        }
      });
    } else {
      setState('polling');
      void poll();
    }
    return () => {
      stopped = true;
      source?.close();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, []);

  return { counts, state, setCounts, refresh };
}
