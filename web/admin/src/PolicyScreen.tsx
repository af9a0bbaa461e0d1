// The site policy editor: thresholds per label, word lists, limits and pre-moderation. Admins save;
// moderators read. Saving never changes decisions already taken.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.js';
import { labelName } from './format.js';
import { useNotify } from './toast.js';
import { LABELS, type Label, type SitePolicy } from './types.js';

interface Draft {
  bannedWords: string;
  suspectWords: string;
  maxLength: string;
  maxLinks: string;
  preModeration: SitePolicy['preModeration'];
  newAccountComments: string;
  reportThreshold: string;
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
    thresholds: Object.fromEntries(
      LABELS.map((l) => {
        const t = p.thresholds[l];
        return [l, { custom: Boolean(t), hold: t ? String(t.hold) : '', reject: t ? String(t.reject) : '' }];
      }),
    ) as Draft['thresholds'],
  };
}

const words = (s: string) => [...new Set(s.split('\n').map((w) => w.trim()).filter(Boolean))];

/** The policy the draft describes, or the problems that stop it being saved. */
export function fromDraft(d: Draft): { policy: SitePolicy } | { problems: string[] } {
  const problems: string[] = [];
  const int = (value: string, name: string, min: number, max: number) => {
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
    if (t.hold === '' || t.reject === '' || !(hold >= 0 && hold <= 1) || !(reject >= 0 && reject <= 1)) {
      problems.push(`${labelName(l)}: thresholds are numbers from 0 to 1.`);
    } else if (hold > reject) {
      problems.push(`${labelName(l)}: the hold threshold must not be above the reject threshold.`);
    } else thresholds[l] = { hold, reject };
  }
  const policy: SitePolicy = {
    bannedWords: words(d.bannedWords),
    suspectWords: words(d.suspectWords),
    maxLength: int(d.maxLength, 'Longest comment', 1, 20000),
    maxLinks: int(d.maxLinks, 'Links allowed', 0, 100),
    preModeration: d.preModeration,
    newAccountComments: int(d.newAccountComments, 'Comments before a new account is trusted', 0, 1000),
    reportThreshold: int(d.reportThreshold, 'Reports that queue a comment', 1, 1000),
    thresholds,
  };
  return problems.length ? { problems } : { policy };
}

export function PolicyScreen({ isAdmin }: { isAdmin: boolean }) {
  const notify = useNotify();
  const [siteId, setSiteId] = useState<string | null>(null);
  const [saved, setSaved] = useState<SitePolicy | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    (async () => {
      try {
        const { siteId } = await api.stats(1);
        if (!siteId) throw new Error('there is no site yet.');
        const policy = await api.policy(siteId);
        setSiteId(siteId);
        setSaved(policy);
        setDraft(toDraft(policy));
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    })();
  }, []);

  if (error) return <p role="alert">Could not load the policy: {error}</p>;
  if (!draft || !saved || !siteId) return <p class="loading">Loading the policy…</p>;

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
      const policy = await api.putPolicy(siteId, result.policy);
      setSaved(policy);
      setDraft(toDraft(policy));
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
        <p class="muted">
          Applied to every comment when it is posted or edited. Changing it never changes decisions already taken.
          {ro ? ' Only admins can change it.' : ''}
        </p>
      </div>
      <form class="policy" onSubmit={save}>
        <fieldset disabled={ro || saving}>
          <fieldset class="group">
            <legend>Classifier thresholds</legend>
            <p class="hint">At or above <em>hold</em> a comment waits for a moderator; at or above <em>reject</em> it is rejected outright. Labels left on “default” use the model's shipped thresholds.</p>
            <table class="thresholds">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Custom</th>
                  <th scope="col">Hold at</th>
                  <th scope="col">Reject at</th>
                </tr>
              </thead>
              <tbody>
                {LABELS.map((l) => {
                  const t = draft.thresholds[l];
                  return (
                    <tr key={l}>
                      <th scope="row">{labelName(l)}</th>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Custom thresholds for ${labelName(l)}`}
                          checked={t.custom}
                          onChange={(e) => {
                            const custom = (e.currentTarget as HTMLInputElement).checked;
                            setThreshold(l, custom ? { custom, hold: t.hold || '0.5', reject: t.reject || '0.9' } : { custom });
                          }}
                        />
                      </td>
                      <td>
                        <input type="number" min={0} max={1} step={0.01} aria-label={`${labelName(l)} hold threshold`} value={t.custom ? t.hold : ''} placeholder="default" disabled={!t.custom} onInput={(e) => setThreshold(l, { hold: value(e) })} />
                      </td>
                      <td>
                        <input type="number" min={0} max={1} step={0.01} aria-label={`${labelName(l)} reject threshold`} value={t.custom ? t.reject : ''} placeholder="default" disabled={!t.custom} onInput={(e) => setThreshold(l, { reject: value(e) })} />
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
              <input type="number" min={0} max={1000} value={draft.newAccountComments} disabled={draft.preModeration !== 'new_accounts'} onInput={(e) => set({ newAccountComments: value(e) })} />
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
              <input type="number" min={1} max={20000} value={draft.maxLength} onInput={(e) => set({ maxLength: value(e) })} />
            </label>
            <label class="field inline">
              <span>Links allowed before a comment is held</span>
              <input type="number" min={0} max={100} value={draft.maxLinks} onInput={(e) => set({ maxLinks: value(e) })} />
            </label>
            <label class="field inline">
              <span>Reader reports that put a comment in the reported queue</span>
              <input type="number" min={1} max={1000} value={draft.reportThreshold} onInput={(e) => set({ reportThreshold: value(e) })} />
            </label>
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
    </section>
  );
}
