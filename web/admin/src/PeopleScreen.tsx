// People: find a person by name or e-mail, and see their standing, comments, the reports against them and moderators'
// notes; trust them by hand, change their role (admins), ban or suspend them with a reason and an end.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { ago, commentPermalink, dateTime, plural } from './format.js';
import { href, navigate } from './router.js';
import { useNotify } from './toast.js';
import { message } from './queue/messages.js';
import type { Me, Person, PersonSummary } from './types.js';
import { IdentityBanForm, IdentityBanList } from './IdentityBans.js';

const STANDING: Record<PersonSummary['standing'], string> = { new: 'new', regular: 'regular', trusted: 'trusted' };

function Sanctions({ person, reload }: { person: Person; reload: () => void }) {
  const notify = useNotify();
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const run = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      notify(what);
      setReason('');
      reload();
    } catch (error) {
      notify(`${what} failed: ${message(error)}`, 'error');
    }
  };
  if (person.role !== 'commenter') return <p class="muted">Staff cannot be banned or suspended; change their role first.</p>;
  if (person.status !== 'active') {
    return (
      <p>
        <strong>{person.status === 'banned' ? 'Banned' : `Suspended until ${dateTime(person.suspendedUntil!)}`}</strong>
        {person.sanctionReason ? `: ${person.sanctionReason}` : ''}{' '}
        <button type="button" class="link" onClick={() => void run('Sanction lifted', () => api.unban(person.id))}>
          Lift
        </button>
      </p>
    );
  }
  return (
    <form class="sanction" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>Reason (they will see it)</span>
        <input value={reason} maxLength={1000} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        <span>Suspend until</span>
        <input type="datetime-local" value={until} onInput={(e) => setUntil((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="button" disabled={!reason.trim() || !until} onClick={() => void run('Suspended', () => api.suspend(person.id, new Date(until).toISOString(), reason))}>
        Suspend
      </button>{' '}
      <button type="button" class="reject" disabled={!reason.trim()} onClick={() => void run('Banned', () => api.ban(person.id, reason))}>
        Ban
      </button>
    </form>
  );
}

function PersonPanel({ id, me }: { id: string; me: Me }) {
  const notify = useNotify();
  const [person, setPerson] = useState<Person | null>(null);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const load = () =>
    api.person(id).then(
      (p) => setPerson(p),
      (e: unknown) => setError(message(e)),
    );
  useEffect(() => {
    setPerson(null);
    void load();
  }, [id]);
  if (error) return <p role="alert">{error}</p>;
  if (!person) return <p class="loading">Loading…</p>;
  const act = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      notify(what);
      await load();
    } catch (e) {
      notify(`${what} failed: ${message(e)}`, 'error');
    }
  };
  return (
    <article class="person" aria-labelledby="person-name">
      <h2 id="person-name">
        {person.username} <span class={`standing standing-${person.standing}`}>{STANDING[person.standing]}</span>
      </h2>
      <p class="muted">
        {person.email ?? 'no e-mail'} · {person.role} · joined {ago(person.createdAt)} · {plural(person.counts.published, 'published comment')},{' '}
        {person.counts.pending} pending, {person.counts.rejected} rejected
      </p>
      <p>
        {person.trustedByHand ? 'Trusted by hand: skips pre-moderation (never the classifier). ' : ''}
        <button type="button" class="link" onClick={() => void act(person.trustedByHand ? 'Trust taken back' : 'Trusted', () => api.trust(person.id, !person.trustedByHand))}>
          {person.trustedByHand ? 'Take back trust' : 'Trust by hand'}
        </button>
      </p>
      {me.user.role === 'admin' && person.id !== me.user.id ? (
        <label class="role">
          <span>Role</span>
          <select
            value={person.role}
            onChange={(e) => void act('Role changed', () => api.setRole(person.id, (e.currentTarget as HTMLSelectElement).value as Person['role']))}
          >
            <option value="commenter">commenter</option>
            <option value="moderator">moderator</option>
            <option value="admin">admin</option>
          </select>
        </label>
      ) : null}
      <h3>Ban or suspend</h3>
      <Sanctions person={person} reload={() => void load()} />
      <IdentityBanForm person={person} />
      <h3>Notes for moderators</h3>
      <ul class="notes">
        {person.notes.map((n) => (
          <li key={n.id}>
            {n.body} <span class="muted">— {n.author ?? 'someone'}, {ago(n.createdAt)}</span>
          </li>
        ))}
      </ul>
      <form
        class="note"
        onSubmit={(e) => {
          e.preventDefault();
          void act('Note added', () => api.addNote(person.id, note)).then(() => setNote(''));
        }}
      >
        <label>
          <span>Add a note</span>
          <input value={note} maxLength={2000} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={!note.trim()}>
          Add
        </button>
      </form>
      <h3>Reports against them ({person.reports.length})</h3>
      <ul>
        {person.reports.map((r) => (
          <li key={`${r.commentId}-${r.createdAt}`}>
            {r.reason}
            {r.note ? `: ${r.note}` : ''} on{' '}
            <a href={commentPermalink(r.commentId)} target="_blank" rel="noopener">
              a comment
            </a>{' '}
            <span class="muted">{ago(r.createdAt)}</span>
          </li>
        ))}
      </ul>
      <h3>Comments ({person.comments.length})</h3>
      <ul class="person-comments">
        {person.comments.map((c) => (
          <li key={c.id}>
            <span class={`status status-${c.status}`}>{c.status}</span> <q>{c.excerpt}</q> on {c.storyTitle}{' '}
            <a href={commentPermalink(c.id)} target="_blank" rel="noopener">
              {ago(c.createdAt)}
            </a>
          </li>
        ))}
      </ul>
    </article>
  );
}

export function PeopleScreen({ me, params }: { me: Me; params: URLSearchParams }) {
  const [q, setQ] = useState(params.get('q') ?? '');
  const [people, setPeople] = useState<PersonSummary[] | null>(null);
  const [error, setError] = useState('');
  const selected = params.get('id');
  const search = (text: string) =>
    api.people(text).then(
      (r) => setPeople(r.people),
      (e: unknown) => setError(message(e)),
    );
  useEffect(() => {
    void search(params.get('q') ?? '');
  }, []);
  return (
    <section class="people-screen">
      <h1>People</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href('people', { q }), { replace: true });
          void search(q);
        }}
      >
        <label>
          <span>Name or e-mail</span>
          <input type="search" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      <div class="people-layout">
        <ul class="people-list">
          {(people ?? []).map((p) => (
            <li key={p.id}>
              <a
                href={href('people', { q, id: p.id })}
                aria-current={p.id === selected ? 'true' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(href('people', { q, id: p.id }));
                }}
              >
                {p.username}
              </a>{' '}
              <span class={`standing standing-${p.standing}`}>{STANDING[p.standing]}</span>
              {p.status !== 'active' ? <span class="badge">{p.status}</span> : null}
              <span class="muted"> {p.email ?? ''}</span>
            </li>
          ))}
          {people && people.length === 0 ? <li class="muted">Nobody matches.</li> : null}
        </ul>
        {selected ? <PersonPanel id={selected} me={me} /> : <p class="muted">Choose a person to see their history.</p>}
      </div>
      <IdentityBanList />
    </section>
  );
}
