// A site's own model next to the shipped one, on the site's recent decisions that no site model trained on:
// ROC-AUC and hold rate per label, the switch (admins; audited, and switching back is the same button), and the
// calibration curve of one label (hold rate and precision by threshold), drawn by Chart.js.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { api } from './api.js';
import { labelName, percent } from './format.js';
import { useNotify } from './toast.js';
import type { SiteModelReport } from './types.js';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

const auc = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));

function Curve({ points, label }: { points: SiteModelReport['calibration'][number]['points']; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: points.map((p) => p.threshold.toFixed(2)),
        datasets: [
          { label: 'hold rate', data: points.map((p) => p.holdRate), borderColor: '#c98a0b', backgroundColor: '#c98a0b' },
          { label: 'precision', data: points.map((p) => p.precision), borderColor: '#4056a1', backgroundColor: '#4056a1' },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 1 } } },
    }),
    [points],
  );
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={`Hold rate and precision of ${label} by threshold`} />
    </div>
  );
}

export function SiteModelPanel({ siteId, isAdmin }: { siteId: string; isAdmin: boolean }) {
  const notify = useNotify();
  const [report, setReport] = useState<SiteModelReport | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [label, setLabel] = useState('toxic');

  const load = () =>
    api.siteModel(siteId).then(
      (r) => {
        setReport(r);
        setError('');
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  useEffect(() => {
    setReport(null);
    void load();
  }, [siteId]);

  const use = async (model: 'site' | 'shipped') => {
    setBusy(true);
    try {
      await api.useSiteModel(siteId, model);
      notify(model === 'site' ? "This site's comments are now scored by its own model." : "This site's comments are scored by the shipped model again.", 'ok');
      await load();
    } catch (e) {
      notify(`Could not switch: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  if (error) return <section class="site-model"><h2>Site model</h2><p class="error" role="alert">{error}</p></section>;
  if (!report) return <section class="site-model"><h2>Site model</h2><p class="muted">Loading…</p></section>;
  const curve = report.calibration.find((c) => c.label === label);
  return (
    <section class="site-model" aria-labelledby="site-model-title">
      <h2 id="site-model-title">Site model</h2>
      <p>
        Comments on this site are scored by <strong>{report.active === 'site' ? `its own model (${report.site?.version ?? 'missing'})` : `the shipped model (${report.shipped?.version ?? 'none'})`}</strong>.{' '}
        {report.site ? null : 'This site has no model of its own yet: export its decisions with `parley model export-decisions` and train one with `parley model train --base shipped`.'}
      </p>
      <table class="site-model-figures">
        <caption>
          On the site's {report.evaluation.rows} most recent decisions that no site model trained on
        </caption>
        <thead>
          <tr>
            <th scope="col">label</th>
            <th scope="col">rows (positive)</th>
            <th scope="col">shipped ROC-AUC</th>
            <th scope="col">shipped hold rate</th>
            <th scope="col">site ROC-AUC</th>
            <th scope="col">site hold rate</th>
          </tr>
        </thead>
        <tbody>
          {report.evaluation.labels.map((l) => (
            <tr key={l.label}>
              <th scope="row">{labelName(l.label)}</th>
              <td class="num">
                {l.rows} ({l.positives})
              </td>
              <td class="num">{auc(l.shipped?.rocAuc)}</td>
              <td class="num">{l.shipped ? percent(l.shipped.holdRate) : '–'}</td>
              <td class="num">{auc(l.site?.rocAuc)}</td>
              <td class="num">{l.site ? percent(l.site.holdRate) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {isAdmin && report.site ? (
        <div class="form-actions">
          {report.active === 'site' ? (
            <button type="button" disabled={busy} onClick={() => void use('shipped')}>
              Use the shipped model again
            </button>
          ) : (
            <button type="button" class="primary" disabled={busy} onClick={() => void use('site')}>
              Use this site's model
            </button>
          )}
        </div>
      ) : null}
      {curve ? (
        <div class="calibration">
          <label class="field inline">
            <span>Calibration curve ({curve.model} model) for</span>
            <select value={label} onChange={(e) => setLabel((e.currentTarget as HTMLSelectElement).value)}>
              {report.calibration.map((c) => (
                <option key={c.label} value={c.label}>
                  {labelName(c.label)}
                </option>
              ))}
            </select>
          </label>
          <p class="muted">
            Hold line for a 10% hold rate: {curve.forHoldRate ?? '–'}; for 90% precision: {curve.forPrecision ?? '–'}.
          </p>
          <Curve points={curve.points} label={labelName(label)} />
        </div>
      ) : null}
    </section>
  );
}
