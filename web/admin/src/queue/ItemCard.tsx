// One comment in a queue: the comment with its highlighted spans, its context, its author's history,
// the scores, the reasons and reports, and the actions.
import { memo } from 'preact/compat';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useNotify } from '../toast.js';
import { segments } from '../highlight.js';
import { ago, commentPermalink, dateTime, labelName, plural, waited } from '../format.js';
import type { LabelDecisions, QueueItem } from '../types.js';

export type CardAction = 'approve' | 'reject' | 'feature' | 'unfeature' | 'ban' | 'suspend' | 'unban' | 'select';

interface Props {
  item: QueueItem;
  current: boolean;
  selected: boolean;
  busy: boolean;
  /** Another moderator who reviews this item now (their claim): a warning, not a lock. */
  reviewer: string | null;
  onAction: (item: QueueItem, action: CardAction) => void;
  onFocusItem: (id: string) => void;
}

const STATUS_TEXT: Record<string, string> = { published: 'published', pending: 'pending', rejected: 'rejected' };

function Highlighted({ text, spans }: { text: string; spans: QueueItem['comment']['spans'] }) {
  return (
    <p class="text">
      {segments(text, spans).map((s) =>
        s.labels.length ? (
          <mark key={s.start} class={`label-${s.labels[0]}`} data-label={s.labels.map(labelName).join(', ')} title={s.labels.map(labelName).join(', ')}>
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
    </p>
  );
}

/**
 * A moderator's word on one label: "yes" confirms it applies, "no" corrects it. Both become the site's training
 * data (parley model export-decisions); pressing the chosen answer again changes nothing.
 */
function LabelVerdict({ id, label, decided, onDecided }: { id: string; label: string; decided: boolean | undefined; onDecided: (labels: LabelDecisions['labels']) => void }) {
  const notify = useNotify();
  const [saving, setSaving] = useState(false);
  const choose = async (value: boolean) => {
    if (saving || decided === value) return;
    setSaving(true);
    try {
      const result = await api.setLabels(id, { [label]: value });
      onDecided(result.labels);
    } catch (error) {
      notify(`Could not save the label: ${error instanceof Error ? error.message : String(error)}`, 'error');
    } finally {
      setSaving(false);
    }
  };
  return (
    <td class="verdict" role="group" aria-label={`Is this ${labelName(label)}?`}>
      <button type="button" class="link" aria-pressed={decided === true} disabled={saving} title={`Yes, ${labelName(label)}`} onClick={() => void choose(true)}>
        yes
      </button>
      <button type="button" class="link" aria-pressed={decided === false} disabled={saving} title={`Not ${labelName(label)}`} onClick={() => void choose(false)}>
        no
      </button>
    </td>
  );
}

function Scores({ item }: { item: QueueItem }) {
  const scores = item.comment.scores;
  const [decisions, setDecisions] = useState<LabelDecisions['labels']>(item.comment.labelDecisions);
  if (!scores) return <p class="muted">No classifier scores (the classifier was off).</p>;
  const entries = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  return (
    <table class="scores">
      <caption class="visually-hidden">Classifier scores</caption>
      <tbody>
        {entries.map(([label, score]) => {
          const flagged = item.comment.flaggedLabels.includes(label);
          return (
            <tr key={label} class={flagged ? 'flagged' : undefined}>
              <th scope="row">{labelName(label)}</th>
              <td>
                <meter min={0} max={1} low={0.5} high={0.8} optimum={0} value={score} aria-label={`${labelName(label)} score`} />
              </td>
              <td class="num">{score.toFixed(2)}</td>
              <LabelVerdict id={item.comment.id} label={label} decided={decisions[label as keyof typeof decisions]} onDecided={setDecisions} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ItemCardView({ item, current, selected, busy, reviewer, onAction, onFocusItem }: Props) {
  const c = item.comment;
  const a = item.author;
  const sanctioned = a.status !== 'active';
  return (
    <article
      class={`card status-${c.status}${current ? ' current' : ''}${selected ? ' selected' : ''}${busy ? ' busy' : ''}`}
      id={`item-${c.id}`}
      data-comment-id={c.id}
      aria-current={current ? 'true' : undefined}
      aria-labelledby={`item-${c.id}-title`}
      tabIndex={-1}
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('button, a, input, label')) onFocusItem(c.id);
      }}
      onFocusCapture={() => onFocusItem(c.id)}
    >
      <header class="card-head">
        <label class="select">
          <input type="checkbox" checked={selected} onChange={() => onAction(item, 'select')} aria-label={`Select the comment by ${a.username}`} />
        </label>
        <div class="where">
          <h3 id={`item-${c.id}-title`}>
            <a href={commentPermalink(c.id)} target="_blank" rel="noopener">
              {item.story.title}
            </a>
          </h3>
          <p class="meta">
            <span class={`status-chip status-${c.status}`}>{STATUS_TEXT[c.status] ?? c.status}</span>
            {c.featured ? <span class="status-chip featured">featured</span> : null}
            {c.openReports ? <span class="status-chip reported">{plural(c.openReports, 'report')}</span> : null}
            <time dateTime={c.createdAt} title={dateTime(c.createdAt)}>
              {ago(c.createdAt)}
            </time>
            {c.status === 'pending' || c.openReports ? (
              <span class="waiting" title={`Waiting for a moderator since ${dateTime(c.waitingSince)}`}>
                {' '}
                · waiting {waited(c.waitingSince)}
              </span>
            ) : null}
            {c.editedAt ? <span class="muted"> · edited</span> : null}
          </p>
          {reviewer ? (
            <p class="claim-note" role="note" data-testid="claim-note">
              Being reviewed by <strong>{reviewer}</strong>: check before acting on it too.
            </p>
          ) : null}
        </div>
      </header>

      {item.parent ? (
        <div class="parent">
          <p class="parent-head">
            In reply to <strong>{item.parent.author ?? 'a deleted comment'}</strong>
          </p>
          {/* Sanitized on the server, like on the story page. */}
          <div class="parent-body" dangerouslySetInnerHTML={{ __html: item.parent.bodyHtml }} />
        </div>
      ) : null}

      <div class="body">
        <Highlighted text={c.text} spans={c.spans} />
      </div>

      <div class="details">
        <section class="author" aria-label="Author">
          <h4>
            {a.username} <span class={`user-status user-${a.status}`}>{a.status}</span>
          </h4>
          <p class="muted">
            joined <time dateTime={a.createdAt}>{ago(a.createdAt)}</time>
            {a.status === 'suspended' && a.suspendedUntil ? <> · until {dateTime(a.suspendedUntil)}</> : null}
          </p>
          <ul class="history">
            <li>
              <strong>{a.published}</strong> published
            </li>
            <li>
              <strong>{a.approvedByModerator}</strong> approved by moderators
            </li>
            <li>
              <strong>{a.rejected}</strong> rejected
            </li>
            <li>
              <strong>{a.pending}</strong> pending
            </li>
          </ul>
        </section>
        <section class="why" aria-label="Scores and reasons">
          <Scores item={item} />
          {c.reasons.length ? (
            <ul class="reasons">
              {c.reasons.map((r, i) => (
                <li key={i}>
                  <span class="code">{r.code.replace(/_/g, ' ')}</span> {r.message}
                </li>
              ))}
            </ul>
          ) : null}
          {c.moderation.reason ? <p class="mod-reason">Moderator's reason: {c.moderation.reason}</p> : null}
          {item.reports.length ? (
            <ul class="reports" aria-label="Reader reports">
              {item.reports.map((r, i) => (
                <li key={i}>
                  <span class="code">{r.reason.replace(/_/g, ' ')}</span> {r.note ?? ''} <time dateTime={r.createdAt}>{ago(r.createdAt)}</time>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>

      <footer class="actions" role="group" aria-label={`Actions on the comment by ${a.username}`}>
        {c.status !== 'published' || c.openReports ? (
          <button type="button" class="approve" disabled={busy} onClick={() => onAction(item, 'approve')} aria-keyshortcuts="a">
            {c.status === 'published' ? 'Keep (clear reports)' : 'Approve'}
          </button>
        ) : null}
        <button type="button" class="reject" disabled={busy} onClick={() => onAction(item, 'reject')} aria-keyshortcuts="r">
          {c.status === 'rejected' ? 'Change reason…' : 'Reject…'}
        </button>
        {c.featured ? (
          <button type="button" disabled={busy} onClick={() => onAction(item, 'unfeature')}>
            Unfeature
          </button>
        ) : c.status !== 'rejected' ? (
          <button type="button" disabled={busy} onClick={() => onAction(item, 'feature')} aria-keyshortcuts="f">
            {c.status === 'published' ? 'Feature' : 'Approve & feature'}
          </button>
        ) : null}
        <span class="spacer" />
        {sanctioned ? (
          <button type="button" disabled={busy} onClick={() => onAction(item, 'unban')} aria-label={`Lift the ${a.status === 'banned' ? 'ban' : 'suspension'} of ${a.username}`}>
            Lift {a.status === 'banned' ? 'ban' : 'suspension'}
          </button>
        ) : (
          <>
            <button type="button" disabled={busy} onClick={() => onAction(item, 'suspend')} aria-keyshortcuts="s" aria-label={`Suspend ${a.username}…`}>
              Suspend author…
            </button>
            <button type="button" class="danger" disabled={busy} onClick={() => onAction(item, 'ban')} aria-keyshortcuts="b" aria-label={`Ban ${a.username}…`}>
              Ban author…
            </button>
          </>
        )}
      </footer>
    </article>
  );
}

export const ItemCard = memo(ItemCardView);
