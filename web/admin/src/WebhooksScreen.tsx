// A site's webhooks, for its admins: add one (its signing secret is shown once), remove one, and the delivery log
// (each call's event, status, attempts, the receiver's last answer, the next attempt) with a replay of any delivery.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.js';
import { useNotify } from './toast.js';
import { SitePicker, pickedSite, useSites } from './SitePicker.js';
import { ago, dateTime } from './format.js';
import { WEBHOOK_EVENTS, type Webhook, type WebhookDelivery } from './types.js';

const COLUMNS = ['Event', 'To', 'Status', 'Attempts', 'Last answer', 'Next attempt'];
const STATUS: Record<WebhookDelivery['status'], string> = { pending: 'Pending', sent: 'Delivered', failed: 'Failed' };
/** The receiver's last answer: its HTTP status and the error, or a dash before any attempt. */
const lastAnswer = (d: WebhookDelivery) => [d.responseCode !== null ? `HTTP ${d.responseCode}` : '', d.error ?? ''].filter(Boolean).join(': ') || '—';
const message = (e: unknown) => (e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e));

export function WebhooksScreen({ params }: { params: URLSearchParams }) {
  const { sites, error } = useSites();
  if (error) return <p role="alert">Could not load the sites: {error}</p>;
  if (!sites) return <p class="loading">Loading…</p>;
  const site = pickedSite(sites, params);
  return (
    <section class="webhooks-screen">
      <div class="screen-head">
        <h1>Webhooks</h1>
        <SitePicker screen="webhooks" sites={sites} site={site} />
        <p class="muted">
          Parley posts each event, signed with the webhook's secret, to the addresses below; a failed call is tried again later. See
          docs/delivery.md for checking the signature.
        </p>
      </div>
      <WebhooksPanel key={site.id} siteId={site.id} />
    </section>
  );
}

function WebhooksPanel({ siteId }: { siteId: string }) {
  const notify = useNotify();
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [problem, setProblem] = useState('');

  const refresh = async () => {
    try {
      const [list, log] = await Promise.all([api.webhooks(siteId), api.deliveries(siteId, null)]);
      setHooks(list.webhooks);
      setDeliveries(log.deliveries);
      setNextCursor(log.nextCursor);
    } catch (e) {
      setProblem(message(e));
    }
  };
  useEffect(() => {
    void refresh();
  }, [siteId]);

  const add = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    try {
      const created = await api.addWebhook(siteId, url.trim(), events);
      setSecret({ url: created.url, secret: created.secret });
      setUrl('');
      setEvents([]);
      await refresh();
    } catch (e) {
      setProblem(message(e));
    }
  };
  const remove = async (hook: Webhook) => {
    if (!confirm(`Remove the webhook to ${hook.url}? Calls still due to it will not be made.`)) return;
    try {
      await api.removeWebhook(siteId, hook.id);
      notify(`Removed the webhook to ${hook.url}.`);
      await refresh();
    } catch (e) {
      setProblem(message(e));
    }
  };
  const replay = async (delivery: WebhookDelivery) => {
    try {
      await api.replayDelivery(siteId, delivery.id);
      notify(`${delivery.event} is sent again, with the same event id.`);
      await refresh();
    } catch (e) {
      setProblem(message(e));
    }
  };
  const more = async () => {
    try {
      const log = await api.deliveries(siteId, nextCursor);
      setDeliveries((d) => [...(d ?? []), ...log.deliveries]);
      setNextCursor(log.nextCursor);
    } catch (e) {
      setProblem(message(e));
    }
  };
  const urlOf = (webhookId: string) => hooks?.find((h) => h.id === webhookId)?.url ?? 'a removed webhook';

  return (
    <>
      <div class="group webhooks-list">
        <h2>Webhooks</h2>
        {hooks === null ? (
          <p class="loading">Loading the webhooks…</p>
        ) : hooks.length === 0 ? (
          <p class="muted">No webhook yet.</p>
        ) : (
          <ul class="webhooks">
            {hooks.map((hook) => (
              <li key={hook.id} data-webhook-id={hook.id}>
                <code>{hook.url}</code> · {hook.events.length === WEBHOOK_EVENTS.length ? 'every event' : hook.events.join(', ')} · added{' '}
                {ago(hook.createdAt)}{' '}
                <button type="button" onClick={() => void remove(hook)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {secret ? (
          <p class="notice" role="status" data-testid="webhook-secret">
            The signing secret of {secret.url} is <code>{secret.secret}</code>. Copy it now: it is not shown again.
          </p>
        ) : null}
        <form onSubmit={add} class="webhook-add">
          <label class="field">
            <span>Receiver URL</span>
            <input type="url" required placeholder="https://hooks.example.com/parley" value={url} onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <fieldset>
            <legend>Events (none checked: every event)</legend>
            {WEBHOOK_EVENTS.map((name) => (
              <label class="check" key={name}>
                <input
                  type="checkbox"
                  checked={events.includes(name)}
                  onChange={(e) => setEvents((chosen) => ((e.currentTarget as HTMLInputElement).checked ? [...chosen, name] : chosen.filter((c) => c !== name)))}
                />
                {name}
              </label>
            ))}
          </fieldset>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={!url.trim()}>
              Add the webhook
            </button>
          </div>
        </form>
        {problem ? (
          <p class="problems" role="alert">
            {problem}
          </p>
        ) : null}
      </div>
      <div class="group webhook-deliveries">
        <h2>
          Delivery log{' '}
          <button type="button" onClick={() => void refresh()}>
            Refresh
          </button>
        </h2>
        {deliveries === null ? (
          <p class="loading">Loading the deliveries…</p>
        ) : deliveries.length === 0 ? (
          <p class="muted">Nothing sent yet.</p>
        ) : (
          <table class="deliveries">
            <thead>
              <tr>
                {COLUMNS.map((name) => (
                  <th scope="col" key={name}>
                    {name}
                  </th>
                ))}
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-delivery-id={d.id} class={`delivery-${d.status}`}>
                  <td>
                    {d.event}
                    <br />
                    <small title={dateTime(d.createdAt)}>{ago(d.createdAt)}</small>
                  </td>
                  <td>
                    <code>{urlOf(d.webhookId)}</code>
                  </td>
                  <td class="delivery-status">{STATUS[d.status]}</td>
                  <td>{d.attempts}</td>
                  <td class="delivery-answer">{lastAnswer(d)}</td>
                  <td>{d.nextAttemptAt ? dateTime(d.nextAttemptAt) : '—'}</td>
                  <td>
                    <button type="button" onClick={() => void replay(d)} aria-label={`Replay ${d.event} (${d.id})`}>
                      Replay
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {nextCursor ? (
          <button type="button" onClick={() => void more()}>
            Older deliveries
          </button>
        ) : null}
      </div>
    </>
  );
}
