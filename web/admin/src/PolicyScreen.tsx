// The site policy editor: thresholds per label (beside the model's shipped ones, which apply where the
// site sets none), word lists, limits and pre-moderation, for one of the sites the account may act on
// (?site= in the address). Admins save; moderators read. Saving never changes decisions already taken.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.js';
import { labelName } from './format.js';
import { useNotify } from './toast.js';
import { SiteModelPanel } from './SiteModelPanel.js';
import { href, navigate } from './router.js';
import { EmbedOrigins } from './EmbedOrigins.js';
import { SitePicker, pickedSite } from './SitePicker.js';
import { LABELS, POLICY_LIMITS, type ClassifierInfo, type Label, type LabelPolicy, type Site, type SitePolicy } from './types.js';

interface Draft {
  bannedWords: string;
  suspectWords: string;
  maxLength: string;
  maxLinks: string;
  preModeration: SitePolicy['preModeration'];
  newAccountComments: string;
  reportThreshold: string;
  autoCloseDays: string;
  trustAfterApproved: string;
  trustWindowDays: string;
  thresholds: Record<Label, { custom: boolean; hold: string; reject: string }>;
}

function toDraft(p: SitePolicy): Draft {
  return {
    bannedWords: p.bannedWords.join('\n'),
    suspectWords: p.suspectWords.join('\n'),
    maxLength: String(p.maxLength),
    maxLinks: String(p.maxLinks),
    preModeration: p.preModeration,
    newAccountComments: String(p.newAccountComments),
    reportThreshold: String(p.reportThreshold),
    autoCloseDays: String(p.autoCloseDays ?? 0),
    trustAfterApproved: String(p.trustAfterApproved ?? 10),
    trustWindowDays: String(p.trustWindowDays ?? 90),
    thresholds: Object.fromEntries(
      LABELS.map((l) => {
        const t = p.thresholds[l];
        return [l, { custom: Boolean(t), hold: t ? String(t.hold) : '', reject: t ? String(t.reject) : '' }];
      }),
    ) as Draft['thresholds'],
  };
}

const words = (s: string) => [...new Set(s.split('\n').map((w) => w.trim()).filter(Boolean))];

const inRange = (n: number, { min, max }: { min: number; max: number }) => n >= min && n <= max;

/** The policy the draft describes, or the problems that stop it being saved. */
export function fromDraft(d: Draft): { policy: SitePolicy } | { problems: string[] } {
  const problems: string[] = [];
  const int = (value: string, name: string, { min, max }: { min: number; max: number }) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be a whole number from ${min} to ${max}.`);
    return n;
  };
  const thresholds: SitePolicy['thresholds'] = {};
  for (const l of LABELS) {
    const t = d.thresholds[l];
    if (!t.custom) continue;
    const hold = Number(t.hold);
    const reject = Number(t.reject);
    if (t.hold === '' || t.reject === '' || !inRange(hold, POLICY_LIMITS.threshold) || !inRange(reject, POLICY_LIMITS.threshold)) {
      problems.push(`${labelName(l)}: thresholds are numbers from ${POLICY_LIMITS.threshold.min} to ${POLICY_LIMITS.threshold.max}.`);
    } else if (hold > reject) {
      problems.push(`${labelName(l)}: the hold threshold must not be above the reject threshold.`);
    } else thresholds[l] = { hold, reject };
  }
  const policy: SitePolicy = {
    bannedWords: words(d.bannedWords),
    suspectWords: words(d.suspectWords),
    maxLength: int(d.maxLength, 'Longest comment', POLICY_LIMITS.maxLength),
    maxLinks: int(d.maxLinks, 'Links allowed', POLICY_LIMITS.maxLinks),
    preModeration: d.preModeration,
    newAccountComments: int(d.newAccountComments, 'Comments before a new account is trusted', POLICY_LIMITS.newAccountComments),
    reportThreshold: int(d.reportThreshold, 'Reports that queue a comment', POLICY_LIMITS.reportThreshold),
    autoCloseDays: int(d.autoCloseDays, 'Days before a story closes', POLICY_LIMITS.autoCloseDays),
    trustAfterApproved: int(d.trustAfterApproved, 'Approved comments that earn trust', POLICY_LIMITS.trustAfterApproved),
    trustWindowDays: int(d.trustWindowDays, 'Days trust is counted over', POLICY_LIMITS.trustWindowDays),
    thresholds,
  };
  return problems.length ? { problems } : { policy };
}

/** A threshold as the API gives it, without float noise (0.5397, not 0.53970000001). */
const num = (x: number) => String(Number(x.toFixed(4)));

/** What applies to a label the policy leaves out: the shipped model's numbers, when there is a model. */
function shippedText(shipped: LabelPolicy | undefined): string {
  return shipped ? `shipped: hold ${num(shipped.hold)} / reject ${num(shipped.reject)}` : 'no classifier: not scored';
}

export function PolicyScreen({ isAdmin, params }: { isAdmin: boolean; params: URLSearchParams }) {
  const notify = useNotify();
  const [sites, setSites] = useState<Site[] | null>(null);
  const [shipped, setShipped] = useState<ClassifierInfo['thresholds']>(null);
  const [saved, setSaved] = useState<SitePolicy | null>(null);
  const [loadedSite, setLoadedSite] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);

  // The sites this account may act on, and the model's own thresholds: once.
  useEffect(() => {
    (async () => {
      try {
        const [{ sites }, classifier] = await Promise.all([api.sites(), api.classifier()]);
        if (!sites.length) throw new Error('there is no site yet.');
        setShipped(classifier.thresholds);
        setSites(sites);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    })();
  }, []);

  const site = sites ? pickedSite(sites, params) : null;
  const siteId = site?.id ?? null;

  useEffect(() => {
    if (!siteId) return;
    let stale = false;
    setDraft(null);
    setProblems([]);
    api.policy(siteId).then(
      (policy) => {
        if (stale) return;
        setSaved(policy);
        setDraft(toDraft(policy));
        setLoadedSite(siteId);
      },
      (e: unknown) => {
        if (!stale) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      stale = true;
    };
  }, [siteId]);

  if (error) return <p role="alert">Could not load the policy: {error}</p>;
  if (!draft || !saved || !site || loadedSite !== site.id || !sites) return <p class="loading">Loading the policy…</p>;

  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const setThreshold = (l: Label, change: Partial<Draft['thresholds'][Label]>) =>
    setDraft({ ...draft, thresholds: { ...draft.thresholds, [l]: { ...draft.thresholds[l], ...change } } });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const dirty = JSON.stringify(toDraft(saved)) !== JSON.stringify(draft);
  const ro = !isAdmin;

  const save = async (event: Event) => {
    event.preventDefault();
    const result = fromDraft(draft);
    if ('problems' in result) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    setSaving(true);
    try {
      const policy = await api.putPolicy(site.id, result.policy);
      setSaved(policy);
      setDraft(toDraft(policy));
      setSites(sites.map((s) => (s.id === site.id ? { ...s, reportThreshold: policy.reportThreshold } : s)));
      notify('Policy saved. It applies to comments posted or edited from now on.');
    } catch (e) {
      setProblems([e instanceof ApiError ? e.message : String(e)]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="policy-screen">
      <div class="screen-head">
        <h1>Site policy</h1>
        <SitePicker screen="policy" sites={sites} site={site} locked={dirty || saving ? 'Save or discard the changes first' : undefined} />
        <p class="muted">
          Applied to every comment when it is posted or edited. Changing it never changes decisions already taken.
          {ro ? ' Only admins can change it.' : ''}
          {sites.length > 1 && dirty ? ' Save or discard the changes before switching sites.' : ''}
        </p>
      </div>
      {/* The form checks the numbers itself (fromDraft), so that a shipped threshold such as 0.5397 is never a "step mismatch". */}
      <form class="policy" onSubmit={save} noValidate data-site-id={site.id}>
        <fieldset disabled={ro || saving}>
          <fieldset class="group">
            <legend>Classifier thresholds</legend>
            <p class="hint">
              At or above <em>hold</em> a comment waits for a moderator; at or above <em>reject</em> it is rejected outright. A label without
              its own numbers uses the model's shipped thresholds, shown beside it.
            </p>
            <table class="thresholds">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Custom</th>
                  <th scope="col">Hold at</th>
                  <th scope="col">Reject at</th>
                  <th scope="col">Shipped with the model</th>
                </tr>
              </thead>
              <tbody>
                {LABELS.map((l) => {
                  const t = draft.thresholds[l];
                  const model = shipped?.[l];
                  return (
                    <tr key={l} class={t.custom ? 'custom' : 'shipped'} data-label={l}>
                      <th scope="row">{labelName(l)}</th>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Custom thresholds for ${labelName(l)}`}
                          checked={t.custom}
                          onChange={(e) => {
                            const custom = (e.currentTarget as HTMLInputElement).checked;
                            // A new override starts from the numbers that apply now.
                            const start = (field: 'hold' | 'reject', fallback: string) => t[field] || (model ? num(model[field]) : fallback);
                            setThreshold(l, custom ? { custom, hold: start('hold', '0.5'), reject: start('reject', '0.9') } : { custom, hold: '', reject: '' });
                          }}
                        />
                      </td>
                      <td>
                        <input type="number" min={POLICY_LIMITS.threshold.min} max={POLICY_LIMITS.threshold.max} step={0.01} aria-label={`${labelName(l)} hold threshold`} value={t.custom ? t.hold : ''} placeholder={model ? num(model.hold) : '—'} disabled={!t.custom} onInput={(e) => setThreshold(l, { hold: value(e) })} />
                      </td>
                      <td>
                        <input type="number" min={POLICY_LIMITS.threshold.min} max={POLICY_LIMITS.threshold.max} step={0.01} aria-label={`${labelName(l)} reject threshold`} value={t.custom ? t.reject : ''} placeholder={model ? num(model.reject) : '—'} disabled={!t.custom} onInput={(e) => setThreshold(l, { reject: value(e) })} />
                      </td>
                      <td class="applies">
                        <span class={t.custom ? 'muted' : 'in-force'} data-testid={`shipped-${l}`}>
                          {shippedText(model)}
                        </span>
                        {t.custom && !ro ? (
                          <button type="button" class="link" onClick={() => setThreshold(l, { custom: false, hold: '', reject: '' })} aria-label={`Use the shipped thresholds for ${labelName(l)}`}>
                            Use shipped
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </fieldset>

          <fieldset class="group">
            <legend>Pre-moderation</legend>
            {(
              [
                ['none', 'None: comments the rules let through go up at once'],
                ['new_accounts', "New accounts: hold a new account's first comments"],
                ['all', 'All: every comment waits for a moderator'],
              ] as const
            ).map(([mode, text]) => (
              <label class="check" key={mode}>
                <input type="radio" name="preModeration" value={mode} checked={draft.preModeration === mode} onChange={() => set({ preModeration: mode })} />
                {text}
              </label>
            ))}
            <label class="field inline">
              <span>Published comments before a new account is trusted</span>
              <input type="number" min={POLICY_LIMITS.newAccountComments.min} max={POLICY_LIMITS.newAccountComments.max} value={draft.newAccountComments} disabled={draft.preModeration !== 'new_accounts'} onInput={(e) => set({ newAccountComments: value(e) })} />
            </label>
          </fieldset>

          <fieldset class="group two">
            <legend>Word lists</legend>
            <label class="field">
              <span>Banned words (reject), one a line</span>
              <textarea rows={8} value={draft.bannedWords} onInput={(e) => set({ bannedWords: value(e) })} />
            </label>
            <label class="field">
              <span>Suspect words (hold), one a line</span>
              <textarea rows={8} value={draft.suspectWords} onInput={(e) => set({ suspectWords: value(e) })} />
            </label>
          </fieldset>

          <fieldset class="group">
            <legend>Limits and reports</legend>
            <label class="field inline">
              <span>Longest comment (characters)</span>
              <input type="number" min={POLICY_LIMITS.maxLength.min} max={POLICY_LIMITS.maxLength.max} value={draft.maxLength} onInput={(e) => set({ maxLength: value(e) })} />
            </label>
            <label class="field inline">
              <span>Links allowed before a comment is held</span>
              <input type="number" min={POLICY_LIMITS.maxLinks.min} max={POLICY_LIMITS.maxLinks.max} value={draft.maxLinks} onInput={(e) => set({ maxLinks: value(e) })} />
            </label>
            <label class="field inline">
              <span>Reader reports that put a comment in the reported queue</span>
              <input type="number" min={POLICY_LIMITS.reportThreshold.min} max={POLICY_LIMITS.reportThreshold.max} value={draft.reportThreshold} onInput={(e) => set({ reportThreshold: value(e) })} />
            </label>
          </fieldset>

          <fieldset class="group">
            <legend>Stories and trust</legend>
            {(
              [
                ['autoCloseDays', 'Days after publication that a story closes to comments (0: never)'],
                ['trustAfterApproved', 'Approved comments, none rejected, that make a commenter trusted (0: only by hand)'],
                ['trustWindowDays', 'Days those comments are counted over'],
              ] as const
            ).map(([key, text]) => (
              <label class="field inline" key={key}>
                <span>{text}</span>
                <input type="number" min={POLICY_LIMITS[key].min} max={POLICY_LIMITS[key].max} value={draft[key]} onInput={(e) => set({ [key]: value(e) })} />
              </label>
            ))}
          </fieldset>
        </fieldset>
        {problems.length ? (
          <ul class="problems" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        {ro ? null : (
          <div class="form-actions">
            <button type="submit" class="primary" disabled={!dirty || saving}>
              {saving ? 'Saving…' : 'Save policy'}
            </button>
            <button type="button" disabled={!dirty || saving} onClick={() => { setDraft(toDraft(saved)); setProblems([]); }}>
              Discard changes
            </button>
          </div>
        )}
      </form>
      <EmbedOrigins siteId={site.id} isAdmin={isAdmin} />
      {siteId ? <SiteModelPanel siteId={siteId} isAdmin={isAdmin} /> : null}
    </section>
  );
}
