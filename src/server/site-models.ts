// Site models on the server: the file of each site's own model (<siteModelsDir>/<siteId>.model, as
// `parley model train --out` writes it), loaded once per process and version, the moderation step that scores with
// it, and its figures next to the shipped model's on the site's own recent decisions.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { calibrate, calibrationCurve, compareModels, heldOutRows, loadClassifier, LABELS, type Classifier, type LabelledRow } from '../engine/index.js';
import { ModerationStep } from '../moderation/step.js';
import { withRejectLines } from '../moderation/policy.js';
import type { Scorer } from '../moderation/types.js';
import type { LearningService } from '../core/learning.js';
import type { SiteModelReport } from '../contracts/api.js';
import { ParleyError } from '../core/errors.js';

/** How many of a site's most recent decisions the comparison draws its held-out rows from. */
const RECENT_DECISIONS = 5000;

/** A scorer that always fails: the step then holds every comment (check_failed) rather than publish unscored. */
const failing = (why: string): Scorer => ({
  thresholds: Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 1 }])) as Scorer['thresholds'],
  score() {
    throw new Error(why);
  },
});

export class SiteModels {
  private readonly loaded = new Map<string, { mtimeMs: number; classifier: Classifier }>();
  private readonly steps = new Map<string, ModerationStep>();

  constructor(
    private readonly dir: string,
    private readonly shipped: Scorer | null,
  ) {}

  /** Where a site's model file is. */
  pathOf(siteId: string): string {
    return join(this.dir, `${siteId}.model`);
  }

  /** The site's model file, loaded (again when the file changed), or null when there is none or it cannot be read. */
  classifierOf(siteId: string): Classifier | null {
    const path = this.pathOf(siteId);
    if (!existsSync(path)) return null;
    try {
      const { mtimeMs } = statSync(path);
      const cached = this.loaded.get(path);
      if (cached && cached.mtimeMs === mtimeMs) return cached.classifier;
      const classifier = loadClassifier(path);
      this.loaded.set(path, { mtimeMs, classifier });
      return classifier;
    } catch {
      return null;
    }
  }

  /**
   * The moderation step of a site switched to its model of this version, built once per process. When the file is
   * gone or holds another version, the step holds every comment for a person (a failing check never publishes).
   */
  stepFor(siteId: string, version: string): ModerationStep {
    const key = `${siteId}:${version}`;
    const cached = this.steps.get(key);
    if (cached) return cached;
    const clf = this.classifierOf(siteId);
    if (!clf || clf.version !== version) return new ModerationStep(failing(`the site model ${version} is not at ${this.pathOf(siteId)}`));
    const step = new ModerationStep(withRejectLines(clf));
    this.steps.set(key, step);
    return step;
  }

  /** The version an admin may switch the site to: its model file's; a 409 when there is none. */
  availableVersion(siteId: string): string {
    const clf = this.classifierOf(siteId);
    if (!clf) throw new ParleyError(409, 'no_site_model', `This site has no model: train one with \`parley model train --out ${this.pathOf(siteId)}\`.`);
    return clf.version;
  }

  /** Both models' figures on the site's most recent decisions of the held-out split, and calibration curves. */
  async report(
    learning: LearningService,
    siteId: string,
    active: string | null,
    targets: { holdRate: number; precision: number },
  ): Promise<SiteModelReport> {
    const site = this.classifierOf(siteId);
    const shipped = this.shipped && 'version' in this.shipped ? (this.shipped as Classifier) : null;
    const examples = (await learning.examples(siteId)).slice(-RECENT_DECISIONS);
    const rows: LabelledRow[] = heldOutRows(examples).map((e) => ({ id: e.id, text: e.text, labels: e.labels }));
    const models: Record<string, Classifier> = {};
    if (shipped) models.shipped = shipped;
    if (site) models.site = site;
    const compared = compareModels(rows, models);
    const curveModel: 'site' | 'shipped' | null = site ? 'site' : shipped ? 'shipped' : null;
    const curveClf = curveModel ? models[curveModel]! : null;
    return {
      active: active ? 'site' : 'shipped',
      shipped: shipped ? { version: shipped.version } : null,
      site: site ? { version: site.version, trainingRows: trainingRowsOf(site) } : null,
      evaluation: {
        rows: rows.length,
        labels: compared.map((c) => ({ label: c.label, rows: c.rows, positives: c.positives, shipped: c.models.shipped ?? null, site: c.models.site ?? null })),
      },
      calibration:
        curveClf && curveModel
          ? LABELS.map((label) => {
              const points = calibrationCurve(rows, curveClf, label);
              return {
                label,
                model: curveModel,
                points,
                forHoldRate: calibrate(points, { holdRate: targets.holdRate }),
                forPrecision: calibrate(points, { precision: targets.precision }),
              };
            })
          : [],
    };
  }
}

function trainingRowsOf(clf: Classifier): number | null {
  const meta = (clf as unknown as { model?: { meta?: { training?: { rows?: unknown } } } }).model?.meta?.training;
  return typeof meta?.rows === 'number' ? meta.rows : null;
}
