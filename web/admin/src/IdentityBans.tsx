// Bans by e-mail domain and by network address, on the People screen: from a person (their e-mail's domain, or the
// addresses they were seen at, which Parley keeps only as keyed hashes), and the list of those in force, to lift.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { dateTime } from './format.js';
import { useNotify } from './toast.js';
import { message } from './queue/messages.js';
import type { IdentityBan, Person } from './types.js';

/** The list below reloads when a ban is made or lifted from the person's panel. */
const CHANGED = 'parley:identity-bans-changed';
const changed = () => window.dispatchEvent(new Event(CHANGED));

const DAY_MS = 86_400_000;

/** Ban the person's network addresses or e-mail domain, with a reason and an end. */
export function IdentityBanForm({ person }: { person: Person }) {
  const notify = useNotify();
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('30');
  if (person.role !== 'commenter') return null;
  const domain = person.email?.split('@')[1] ?? null;
  const ban = async (kind: 'domain' | 'address', what: string) => {
    try {
      const expiresAt = new Date(Date.now() + Number(days) * DAY_MS).toISOString();
      const made = await api.addIdentityBan({ kind, userId: person.id, reason, expiresAt });
      notify(`${what} banned (${made.bans.length})`);
      setReason('');
      changed();
    } catch (error) {
      notify(`Ban failed: ${message(error)}`, 'error');
    }
  };
  return (
    <form class="sanction identity-ban" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>Reason (moderators see it beside held comments)</span>
        <input value={reason} maxLength={1000} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        <span>For days</span>
        <input type="number" min={1} max={365} value={days} onInput={(e) => setDays((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="button" class="reject" disabled={!reason.trim()} onClick={() => void ban('address', 'Network address')}>
        Ban their network address
      </button>{' '}
      {domain ? (
        <button type="button" class="reject" disabled={!reason.trim()} onClick={() => void ban('domain', `@${domain}`)}>
          Ban @{domain}
        </button>
      ) : null}
    </form>
  );
}

/** The bans by domain and address in force, each with a way to lift it. */
export function IdentityBanList() {
  const notify = useNotify();
  const [bans, setBans] = useState<IdentityBan[] | null>(null);
  const [error, setError] = useState('');
  const load = () =>
    api.identityBans().then(
      (r) => setBans(r.bans),
      (e: unknown) => setError(message(e)),
    );
  useEffect(() => {
    void load();
    window.addEventListener(CHANGED, load);
    return () => window.removeEventListener(CHANGED, load);
  }, []);
  const lift = async (ban: IdentityBan) => {
    try {
      await api.liftIdentityBan(ban.id);
      notify('Ban lifted');
      changed();
    } catch (e) {
      notify(`Lifting failed: ${message(e)}`, 'error');
    }
  };
  return (
    <section class="identity-bans" aria-labelledby="identity-bans-title">
      <h2 id="identity-bans-title">Bans by e-mail domain and network address</h2>
      {error ? <p class="muted">{error}</p> : null}
      <ul>
        {(bans ?? []).map((b) => (
          <li key={b.id}>
            <strong>{b.kind === 'domain' ? `@${b.domain}` : `network of ${b.sourceUser?.username ?? 'an address'}`}</strong>: {b.reason}{' '}
            <span class="muted">
              by {b.createdBy ?? 'someone'}, until {dateTime(b.expiresAt)}
            </span>{' '}
            <button type="button" class="link" onClick={() => void lift(b)}>
              Lift
            </button>
          </li>
        ))}
        {bans && bans.length === 0 ? <li class="muted">None in force.</li> : null}
      </ul>
    </section>
  );
}
