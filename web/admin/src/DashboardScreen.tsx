// The dashboard: comments per day by outcome, hold and reject rates, and which labels the classifier
// flagged. Drawn on canvas by Chart.js (loaded only when this screen opens).
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { api } from './api.js';
import { labelName, percent } from './format.js';
import { LABELS, type ModeratorSummary, type Stats } from './types.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#3d4451';

const COLORS = { published: '#2e7d4f', pending: '#c98a0b', rejected: '#b3261e', label: '#4056a1' };
const RANGES = [7, 30, 90];

function ChartCanvas({ config, label }: { config: ChartConfiguration; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

const shortDate = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
};

const KINDS: Array<{ title: string; actions: string[] }> = [
  { title: 'Approved', actions: ['comment.approve', 'comment.approve_and_feature'] },
  { title: 'Rejected', actions: ['comment.reject'] },
  { title: 'Undone', actions: ['comment.undo', 'user.undo'] },
  { title: 'Bans and suspensions', actions: ['user.ban', 'user.suspend', 'user.unban'] },
];

function waitText(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Each moderator's last seven days (admins: the server answers others 403, and the table stays away). */
function WeeklySummary() {
  const [summary, setSummary] = useState<ModeratorSummary | null>(null);
  useEffect(() => {
    api.summary(7).then(setSummary, () => undefined);
  }, []);
  if (!summary) return null;
  const other = (actions: Record<string, number>) =>
    Object.entries(actions)
      .filter(([action]) => !KINDS.some((k) => k.actions.includes(action)))
      .reduce((n, [, count]) => n + count, 0);
  return (
    <figure class="panel wide weekly">
      <figcaption>The last 7 days, per moderator</figcaption>
      {summary.moderators.length ? (
        <table class="weekly-summary">
          <thead>
            <tr>
              <th scope="col">Moderator</th>
              <th scope="col" class="num">
                Actions
              </th>
              {KINDS.map((k) => (
                <th key={k.title} scope="col" class="num">
                  {k.title}
                </th>
              ))}
              <th scope="col" class="num">
                Other
              </th>
              <th scope="col" class="num" title="Median time from a comment's arrival to this moderator's approval or rejection">
                Median wait to decision
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.moderators.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.username}</th>
                <td class="num">{m.total}</td>
                {KINDS.map((k) => (
                  <td key={k.title} class="num">
                    {k.actions.reduce((n, a) => n + (m.actions[a] ?? 0), 0)}
                  </td>
                ))}
                <td class="num">{other(m.actions)}</td>
                <td class="num">{waitText(m.medianDecisionSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No moderator acted in the last 7 days.</p>
      )}
    </figure>
  );
}

export function DashboardScreen() {
  const [days, setDays] = useState(30);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let stale = false;
    setError('');
    api.stats(days).then(
      (s) => !stale && setStats(s),
      (e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stale = true;
    };
  }, [days]);

  const head = (
    <div class="screen-head">
      <h1>Dashboard</h1>
      <div class="range" role="group" aria-label="Period">
        {RANGES.map((n) => (
          <button key={n} type="button" class="tab" aria-pressed={days === n ? 'true' : 'false'} onClick={() => setDays(n)}>
            {n} days
          </button>
        ))}
      </div>
    </div>
  );
  if (error)
    return (
      <section class="dashboard">
        {head}
        <p role="alert">Could not load the statistics: {error}</p>
      </section>
    );
  if (!stats)
    return (
      <section class="dashboard">
        {head}
        <p class="loading">Loading…</p>
      </section>
    );

  const total = stats.days.reduce((n, d) => n + d.total, 0);
  const labels = stats.days.map((d) => shortDate(d.date));
  const perDay: ChartConfiguration = {
    type: 'bar',
    data: {
      labels,
      datasets: (['published', 'pending', 'rejected'] as const).map((k) => ({
        label: k === 'pending' ? 'held' : k,
        data: stats.days.map((d) => d[k]),
        backgroundColor: COLORS[k],
        stack: 'comments',
      })),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  };
  const rates: ChartConfiguration = {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'held', data: stats.days.map((d) => (d.total ? (d.pending / d.total) * 100 : null)), borderColor: COLORS.pending, backgroundColor: COLORS.pending, spanGaps: true },
        { label: 'rejected', data: stats.days.map((d) => (d.total ? (d.rejected / d.total) * 100 : null)), borderColor: COLORS.rejected, backgroundColor: COLORS.rejected, spanGaps: true },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, suggestedMax: 20, ticks: { callback: (v) => `${v}%` } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${typeof c.parsed.y === 'number' ? c.parsed.y.toFixed(1) : '–'}%` } } },
    },
  };
  const labelCounts: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: LABELS.map(labelName),
      datasets: [{ label: 'comments flagged', data: LABELS.map((l) => stats.labels[l] ?? 0), backgroundColor: COLORS.label }],
    },
    options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  };

  return (
    <section class="dashboard">
      {head}
      <div class="kpis">
        <div class="kpi">
          <span class="kpi-value">{total}</span>
          <span class="kpi-label">comments in {stats.days.length} days</span>
        </div>
        <div class="kpi">
          <span class="kpi-value" data-testid="hold-rate">{percent(stats.holdRate)}</span>
          <span class="kpi-label">held for a moderator when posted</span>
        </div>
        <div class="kpi">
          <span class="kpi-value" data-testid="reject-rate">{percent(stats.rejectRate)}</span>
          <span class="kpi-label">rejected outright when posted</span>
        </div>
      </div>
      <div class="charts">
        <figure class="panel wide">
          <figcaption>Comments per day, by the moderation step's decision</figcaption>
          <ChartCanvas config={perDay} label={`Comments per day over the last ${stats.days.length} days, by outcome`} />
        </figure>
        <figure class="panel">
          <figcaption>Hold and reject rates per day</figcaption>
          <ChartCanvas config={rates} label="Share of each day's comments held and rejected" />
        </figure>
        <figure class="panel">
          <figcaption>Comments flagged per label</figcaption>
          <ChartCanvas config={labelCounts} label={LABELS.map((l) => `${labelName(l)}: ${stats.labels[l] ?? 0}`).join(', ')} />
        </figure>
        <WeeklySummary />
      </div>
    </section>
  );
}
