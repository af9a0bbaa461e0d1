// The audit log (admins): every moderation action, newest first, with what it changed. Read-only. One moderator's
// actions alone: choose them in the list, or click their name in an entry.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { ago, commentPermalink, dateTime } from './format.js';
import type { AuditEntry } from './types.js';

const ACTIONS: Record<string, string> = {
  'comment.approve': 'approved a comment',
  'comment.approve_and_feature': 'approved and featured a comment',
  'comment.reject': 'rejected a comment',
  'comment.feature': 'featured a comment',
  'comment.unfeature': 'unfeatured a comment',
  'comment.undo': 'undid an action on a comment',
  'user.undo': 'undid an action on a user',
  'user.ban': 'banned a user',
  'user.suspend': 'suspended a user',
  'user.unban': 'lifted a sanction',
  'user.role': 'changed a role',
  'user.trust': 'changed whether a person is trusted',
  'user.note': 'added a note on a person',
  'site.policy': 'changed the site policy',
  'story.update': 'changed a story',
  'story.delete': 'deleted a story',
  'site.origins': 'changed the allowed embed origins',
  'site.import': 'imported comments',
  'site.export': 'downloaded the site',
};

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The fields an action changed, as "field: before → after". */
export function changes(before: unknown, after: unknown): Array<{ key: string; from: string; to: string }> {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => ({ key: k, from: show(b[k]), to: show(a[k]) }));
}

function target(e: AuditEntry) {
  const t = e.target;
  if (t.type === 'comment' && t.storyId) {
    return (
      <div class="target">
        <a href={commentPermalink(t.id)} target="_blank" rel="noopener" title={`Comment ${t.id} on its story page`}>
          comment {t.id.slice(0, 8)}
        </a>
        {/* The text as written, shown as text, never as HTML. */}
        {t.excerpt ? <q class="excerpt">{t.excerpt}</q> : <span class="excerpt muted">deleted by its author</span>}
      </div>
    );
  }
  return (
    <span title={t.id}>
      {t.type} {t.id.slice(0, 8)}
    </span>
  );
}

export function AuditScreen() {
  const [actorId, setActorId] = useState<string | null>(null);
  /** Staff who acted in the last 90 days, for the filter. */
  const [moderators, setModerators] = useState<Array<{ id: string; username: string }>>([]);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'more' | 'error'>('loading');
  const [error, setError] = useState('');
  const started = useRef(false);

  const load = async (from: string | null, actor = actorId) => {
    setStatus(from ? 'more' : 'loading');
    try {
      const page = await api.audit(from, 50, actor);
      setEntries((old) => (from ? [...old, ...page.entries] : page.entries));
      setCursor(page.nextCursor);
      setStatus('ready');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setStatus('error');
    }
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void load(null);
    api.summary(90).then(
      (s) => setModerators(s.moderators.map((m) => ({ id: m.id, username: m.username }))),
      () => undefined,
    );
  }, []);

  const filterBy = (id: string | null) => {
    setActorId(id);
    void load(null, id);
  };
  const choices = actorId && !moderators.some((m) => m.id === actorId) ? [...moderators, { id: actorId, username: actorId.slice(0, 8) }] : moderators;

  return (
    <section class="audit-screen">
      <div class="screen-head">
        <h1>Audit log</h1>
        <p class="muted">Every action by a moderator or admin, newest first. Entries cannot be edited; a wrong action is undone by a new one.</p>
        <label class="actor-filter">
          <span>Moderator</span>
          <select value={actorId ?? ''} onChange={(e) => filterBy((e.currentTarget as HTMLSelectElement).value || null)}>
            <option value="">everyone</option>
            {choices.map((m) => (
              <option key={m.id} value={m.id}>
                {m.username}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load(null)}>
          Refresh
        </button>
      </div>
      {status === 'error' ? <p role="alert">Could not load the audit log: {error}</p> : null}
      {status === 'loading' ? <p class="loading">Loading…</p> : null}
      {entries.length ? (
        <table class="audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Why</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td data-col="When">
                  <time dateTime={e.createdAt} title={dateTime(e.createdAt)}>
                    {ago(e.createdAt)}
                  </time>
                </td>
                <td data-col="Who">
                  <button type="button" class="link" title="Only this person's actions" onClick={() => filterBy(e.actor.id)}>
                    {e.actor.username ?? e.actor.id.slice(0, 8)}
                  </button>
                </td>
                <td data-col="What">
                  <span class={`action action-${(e.action.split('.')[1] ?? '').replace(/_/g, '-')}`}>{ACTIONS[e.action] ?? e.action}</span>
                </td>
                <td data-col="Target">{target(e)}</td>
                <td data-col="Why" class={e.reason ? undefined : 'no-reason'}>{e.reason ?? <span class="muted">—</span>}</td>
                <td data-col="Change">
                  <ul class="diff">
                    {changes(e.before, e.after)
                      .slice(0, 6)
                      .map((c) => (
                        <li key={c.key}>
                          <span class="key">{c.key}</span> <del>{c.from}</del> → <ins>{c.to}</ins>
                        </li>
                      ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : status === 'ready' ? (
        <p class="empty">{actorId ? 'No actions by this moderator.' : 'No actions yet.'}</p>
      ) : null}
      {cursor ? (
        <button type="button" class="load-more" disabled={status === 'more'} onClick={() => void load(cursor)}>
          {status === 'more' ? 'Loading…' : 'Load older entries'}
        </button>
      ) : null}
    </section>
  );
}
