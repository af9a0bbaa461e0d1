// The site's embed settings on the policy screen: the origins whose pages may show the site's threads with
// embed.js (admins change them; moderators read them), and the two lines a newsroom adds under an article.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.js';
import { useNotify } from './toast.js';

const lines = (s: string) => [...new Set(s.split('\n').map((o) => o.trim()).filter(Boolean))];

export function EmbedOrigins({ siteId, isAdmin }: { siteId: string; isAdmin: boolean }) {
  const notify = useNotify();
  const [saved, setSaved] = useState<string[] | null>(null);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let stale = false;
    setSaved(null);
    api.origins(siteId).then(
      ({ origins }) => {
        if (stale) return;
        setSaved(origins);
        setDraft(origins.join('\n'));
      },
      (e: unknown) => !stale && setProblem(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stale = true;
    };
  }, [siteId]);

  if (!saved) return problem ? <p role="alert">Could not load the embed settings: {problem}</p> : null;
  const dirty = lines(draft).join('\n') !== saved.join('\n');
  const save = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setProblem('');
    try {
      const { origins } = await api.putOrigins(siteId, lines(draft));
      setSaved(origins);
      setDraft(origins.join('\n'));
      notify('Allowed origins saved.');
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  const snippet =
    `<div id="parley-thread" data-story-url="CANONICAL_URL" data-story-title="TITLE"></div>\n` +
    `<script src="${location.origin}/embed.js" data-site="${siteId}" async></script>`;

  return (
    <form class="embed-origins" onSubmit={save} data-origins-site-id={siteId}>
      <fieldset class="group" disabled={!isAdmin || saving}>
        <legend>Embedding on your pages</legend>
        <p class="hint">
          Pages on these origins may show this site's threads with embed.js, and an article's canonical URL must be on one of them
          (a staging host may show the live article's thread). One origin a line: scheme and host, such as https://news.example.com.
        </p>
        <label class="field">
          <span>Allowed origins, one a line</span>
          <textarea rows={4} value={draft} onInput={(e) => setDraft((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        <label class="field">
          <span>Under an article</span>
          <textarea rows={3} readOnly value={snippet} />
        </label>
      </fieldset>
      {problem ? <p class="problems" role="alert">{problem}</p> : null}
      {isAdmin ? (
        <div class="form-actions">
          <button type="submit" class="primary" disabled={!dirty || saving}>
            {saving ? 'Saving…' : 'Save origins'}
          </button>
        </div>
      ) : null}
    </form>
  );
}
