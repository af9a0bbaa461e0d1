// Moving a site in and out, for newsrooms without a shell (admins): upload a Disqus or WordPress export and
// follow its import live (the upload, then each pass with its rate and time left, then the summary), resume one a
// restart cut short, and download the site's archive or its comments as CSV.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from './api.js';
import { useNotify } from './toast.js';
import { SitePicker, pickedSite, useSites } from './SitePicker.js';
import { ago, formatBytes, plural } from './format.js';
import type { ImportJob, ImportStartQuery } from './types.js';

const PASSES: Record<NonNullable<ImportJob['pass']>, string> = {
  check: 'Reading the file through',
  stage: 'Reading stories and comments',
  place: 'Placing comments in their threads',
};
const STATUS: Record<ImportJob['status'], string> = { running: 'Importing', done: 'Imported', failed: 'Failed', interrupted: 'Interrupted' };
const POLL_MS = 1000;

export function TransfersScreen({ params }: { params: URLSearchParams }) {
  const { sites, error } = useSites();
  if (error) return <p role="alert">Could not load the sites: {error}</p>;
  if (!sites) return <p class="loading">Loading…</p>;
  const site = pickedSite(sites, params);
  return (
    <section class="transfers-screen">
      <div class="screen-head">
        <h1>Import and export</h1>
        <SitePicker screen="transfers" sites={sites} site={site} />
        <p class="muted">Bring in the comments a newsroom already has, or take the whole site with you. Every import and download is in the audit log.</p>
      </div>
      <ImportPanel key={site.id} siteId={site.id} />
      <ExportPanel siteId={site.id} />
    </section>
  );
}

/** How fast a pass goes, from the first time this page saw it. */
interface PassStart {
  pass: ImportJob['pass'];
  at: number;
  done: number;
}

function ImportPanel({ siteId }: { siteId: string }) {
  const notify = useNotify();
  const [jobs, setJobs] = useState<ImportJob[] | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<ImportStartQuery['source']>('disqus');
  const [moderation, setModeration] = useState<NonNullable<ImportStartQuery['moderation']>>('score');
  const [uploaded, setUploaded] = useState<{ sent: number; total: number } | null>(null);
  const [problem, setProblem] = useState('');
  const starts = useRef(new Map<string, PassStart>());

  const refresh = () =>
    api.imports(siteId).then(
      ({ imports }) => setJobs(imports),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  useEffect(() => {
    void refresh();
  }, [siteId]);
  // Live progress: ask again every second while an import runs.
  const running = jobs?.some((j) => j.status === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, siteId]);

  const upload = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (!file) return;
    setProblem('');
    setUploaded({ sent: 0, total: file.size });
    try {
      await api.startImport(siteId, file, { source, moderation, fileName: file.name.slice(0, 200) }, (sent, total) => setUploaded({ sent, total }));
      notify(`${file.name} uploaded; the import runs on the server, and this page follows it.`);
      setFile(null);
      form.reset();
      await refresh();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : String(e));
    } finally {
      setUploaded(null);
    }
  };
  const resume = async (job: ImportJob) => {
    setProblem('');
    try {
      await api.resumeImport(siteId, job.id);
      await refresh();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <div class="group transfers-import">
      <h2>Import comments</h2>
      <form onSubmit={upload}>
        <fieldset disabled={uploaded !== null || running}>
          <label class="field">
            <span>Export file (XML)</span>
            <input type="file" accept=".xml,application/xml,text/xml" onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
          </label>
          <label class="field">
            <span>It comes from</span>
            <select value={source} onChange={(e) => setSource((e.currentTarget as HTMLSelectElement).value as ImportStartQuery['source'])}>
              <option value="disqus">Disqus (Admin → Export)</option>
              <option value="wordpress">WordPress (Tools → Export, WXR)</option>
            </select>
          </label>
          <label class="check">
            <input type="checkbox" checked={moderation === 'queue'} onChange={(e) => setModeration((e.currentTarget as HTMLInputElement).checked ? 'queue' : 'score')} />
            Also hold for moderators what this site's policy would hold (otherwise each comment keeps its state from the file, scored by the
            classifier)
          </label>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={!file}>
              Upload and import
            </button>
          </div>
        </fieldset>
      </form>
      {uploaded ? (
        <p class="transfer-progress" data-testid="upload-progress">
          <progress max={uploaded.total} value={uploaded.sent} /> Uploading: {formatBytes(uploaded.sent)} of {formatBytes(uploaded.total)}
        </p>
      ) : null}
      {running ? <p class="hint">An import is running; another can start when it ends. Leaving this page does not stop it.</p> : null}
      {problem ? (
        <p class="problems" role="alert">
          {problem}
        </p>
      ) : null}
      {jobs === null ? (
        <p class="loading">Loading the imports…</p>
      ) : jobs.length === 0 ? (
        <p class="muted">No import from the console yet.</p>
      ) : (
        <ul class="import-jobs">
          {jobs.map((job) => (
            <ImportJobItem key={job.id} job={job} start={passStart(starts.current, job)} onResume={() => void resume(job)} />
          ))}
        </ul>
      )}
    </div>
  );
}

function passStart(starts: Map<string, PassStart>, job: ImportJob): PassStart {
  const known = starts.get(job.id);
  if (known && known.pass === job.pass) return known;
  const start = { pass: job.pass, at: Date.now(), done: job.done };
  starts.set(job.id, start);
  return start;
}

function ImportJobItem({ job, start, onResume }: { job: ImportJob; start: PassStart; onResume: () => void }) {
  const seconds = (Date.now() - start.at) / 1000;
  const rate = seconds > 1 ? (job.done - start.done) / seconds : 0;
  const left = job.total && rate > 0 ? Math.ceil((job.total - job.done) / rate) : null;
  return (
    <li class={`import-job import-${job.status}`} data-import-id={job.id}>
      <p>
        <strong>{job.fileName}</strong> ({job.source === 'disqus' ? 'Disqus' : 'WordPress'}, {formatBytes(job.fileBytes)}) · started {ago(job.createdAt)}
        {job.startedBy ? ` by ${job.startedBy}` : ''} · <span class="import-status">{STATUS[job.status]}</span>
      </p>
      {job.status === 'running' && job.pass ? (
        <p class="transfer-progress">
          {job.total ? <progress max={job.total} value={job.done} /> : <progress />} {PASSES[job.pass]}: {job.done.toLocaleString()}
          {job.total ? ` of ${job.total.toLocaleString()}` : ''}
          {rate > 0 ? ` · ${Math.round(rate).toLocaleString()}/s` : ''}
          {left !== null ? ` · about ${plural(left, 'second')} left` : ''}
        </p>
      ) : null}
      {job.summary ? (
        <ul class="import-summary">
          {job.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {job.error ? <p class="problems">{job.error}</p> : null}
      {job.status === 'interrupted' ? (
        job.resumable ? (
          <button type="button" onClick={onResume}>
            Resume (nothing is imported twice)
          </button>
        ) : (
          <p class="hint">The file is no longer on this server: upload it again; what was imported is not imported twice.</p>
        )
      ) : null}
    </li>
  );
}

function ExportPanel({ siteId }: { siteId: string }) {
  return (
    <div class="group transfers-export">
      <h2>Export</h2>
      <p class="hint">
        The archive holds the site, its policy, stories, comments with their scores and decisions, readers (without passwords), reports, bans
        and the audit log; <code>npx parley import parley FILE</code> reads it into another Parley. The CSV has one row per comment for
        analysts.
      </p>
      <p class="form-actions">
        <a class="button" href={api.exportUrl(siteId, 'jsonl')} download>
          Download the archive (JSON Lines)
        </a>
        <a class="button" href={api.exportUrl(siteId, 'csv')} download>
          Download the comments (CSV)
        </a>
      </p>
    </div>
  );
}
