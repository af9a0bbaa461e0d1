// Prometheus metrics (prom-client): what an operator watches and alerts on. Each process keeps its own
// registry; Prometheus scrapes every process and adds them up.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ModerationStep } from '../moderation/step.js';
import type { Scorer } from '../moderation/types.js';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, and how long they took',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly databaseQueries = new Histogram({
    name: 'parley_database_query_duration_seconds',
    help: 'Database statements by kind (select, insert, update, delete, other), and how long they took',
    labelNames: ['kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly classifier = new Histogram({
    name: 'parley_classifier_duration_seconds',
    help: 'How long the classifier took to score one text',
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'parley_moderation_decisions_total',
    help: 'Decisions of the moderation step (posts, edits and dry-run checks) by outcome',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly flagged = new Counter({
    name: 'parley_moderation_flagged_total',
    help: 'Labels at or over their hold threshold in the moderation step, by label',
    labelNames: ['label'] as const,
    registers: [this.registry],
  });
  readonly openStreams = new Gauge({
    name: 'parley_open_event_streams',
    help: 'Server-sent event streams open now, by stream',
    labelNames: ['stream'] as const,
    registers: [this.registry],
  });
  readonly droppedStreams = new Counter({
    name: 'parley_dropped_event_streams_total',
    help: 'Server-sent event streams closed because their reader fell too far behind (it reconnects and catches up)',
    labelNames: ['stream'] as const,
    registers: [this.registry],
  });

  /**
   * Page cache hits not yet in `pageCache`: a hit is the cheapest answer the server makes, and a labelled `inc` was
   * about 0.6% of its CPU; they are added when the counter is read.
   */
  private unreportedHits = 0;
  readonly pageCache: Counter<'result'> = new Counter({
    name: 'parley_page_cache_requests_total',
    help: 'Anonymous thread pages by how the page cache answered: hit, miss (built and kept), bypass (built, not kept: just after a change of this process, or while the cache cannot follow thread events)',
    labelNames: ['result'] as const,
    registers: [this.registry],
    collect: () => {
      if (this.unreportedHits === 0) return;
      this.pageCache.inc({ result: 'hit' }, this.unreportedHits);
      this.unreportedHits = 0;
    },
  });
  readonly pageCacheEntries = new Gauge({
    name: 'parley_page_cache_entries',
    help: 'Pages in this process\'s page cache now',
    registers: [this.registry],
  });

  /** A page answered from the page cache. */
  pageCacheHit(): void {
    this.unreportedHits++;
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
  }

  /** A gauge read when Prometheus scrapes (queue sizes, say). */
  gaugeOnScrape(name: string, help: string, labelNames: readonly string[], read: () => Promise<Array<{ labels: Record<string, string>; value: number }>>): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { labels, value } of await read()) this.set(labels, value);
      },
    });
  }

  /** For Kysely's `log` option: every statement's kind and time. */
  readonly observeQuery = (sql: string, milliseconds: number) => {
    const kind = /^\s*(select|insert|update|delete)/i.exec(sql)?.[1]?.toLowerCase() ?? 'other';
    this.databaseQueries.observe({ kind }, milliseconds / 1000);
  };

  /** The classifier, timed. */
  timed(scorer: Scorer): Scorer {
    const histogram = this.classifier;
    return {
      get thresholds() {
        return scorer.thresholds;
      },
      score(text) {
        // performance.now rather than prom-client's startTimer (process.hrtime, an array a call, labels hashed).
        const start = performance.now();
        try {
          return scorer.score(text);
        } finally {
          histogram.observe((performance.now() - start) / 1000);
        }
      },
    };
  }

  /** The moderation step, with each decision counted. */
  observedStep(scorer: Scorer | null): ModerationStep {
    const metrics = this;
    return new (class extends ModerationStep {
      override decide(...args: Parameters<ModerationStep['decide']>) {
        const decision = super.decide(...args);
        metrics.decisions.inc({ status: decision.status });
        for (const label of decision.flaggedLabels) metrics.flagged.inc({ label });
        return decision;
      }
    })(scorer ? this.timed(scorer) : null);
  }
}
