// The moderation step: every new or edited comment passes through it before it is stored.
// Each rule is a small phase in phases/, given only the facts it needs; the first phase that
// objects decides. A phase that fails holds the comment for a person: a broken check never publishes.
import type { Label, LabelScores, Span } from './labels.js';
import type { LabelPolicy, SitePolicy } from './policy.js';
import type { AuthorFacts, Decision, Scorer, Verdict } from './types.js';
import { checkLength } from './phases/length.js';
import { checkLinks } from './phases/links.js';
import { checkBannedWords, checkSuspectWords } from './phases/word-lists.js';
import { checkClassifierHold, checkClassifierReject } from './phases/classifier.js';
import { checkPreModeration } from './phases/pre-moderation.js';
import { checkBanEvasion } from './phases/ban-evasion.js';

interface Facts {
  text: string;
  policy: SitePolicy;
  author: AuthorFacts;
  scores: LabelScores | null;
  spans: readonly Span[];
  thresholds: Record<Label, LabelPolicy>;
}

interface Phase {
  name: string;
  run(facts: Facts): Verdict | null;
}

// Rejections first, then holds: a comment that earns both is rejected.
const PHASES: readonly Phase[] = [
  { name: 'length', run: (f) => checkLength(f.text, f.policy.maxLength) },
  { name: 'banned words', run: (f) => checkBannedWords(f.text, f.policy.bannedWords) },
  { name: 'classifier reject', run: (f) => checkClassifierReject(f) },
  { name: 'links', run: (f) => checkLinks(f.text, f.policy.maxLinks) },
  { name: 'suspect words', run: (f) => checkSuspectWords(f.text, f.policy.suspectWords) },
  { name: 'classifier hold', run: (f) => checkClassifierHold(f) },
  { name: 'ban evasion', run: (f) => checkBanEvasion(f.author.banEvasion) },
  {
    name: 'pre-moderation',
    run: (f) => checkPreModeration(f.policy.preModeration, f.policy.newAccountComments, f.author),
  },
];

function failed(check: string): Verdict {
  return {
    status: 'pending',
    reasons: [{ code: 'check_failed', message: `The ${check} check could not run; a moderator will look at the comment.` }],
  };
}

/** What the classifier said about one text (or why it could not say), ready for any number of decisions. */
export interface Scoring {
  readonly text: string;
  /** The policy's length limit it was scored under (longer texts are not scored). */
  readonly maxLength: number;
  readonly result: { scores: LabelScores; spans: Span[] } | null;
  readonly error: unknown;
}

/** The author facts of a check that concerns the text alone. */
const ESTABLISHED_AUTHOR: AuthorFacts = { publishedComments: Number.MAX_SAFE_INTEGER };

export class ModerationStep {
  /** @param scorer the classifier, or null to moderate by the word lists and limits alone */
  constructor(private readonly scorer: Scorer | null) {}

  /** The thresholds a label uses when a site's policy does not set its own; null without a classifier. */
  get shippedThresholds(): Record<Label, LabelPolicy> | null {
    return this.scorer?.thresholds ?? null;
  }

  /**
   * Scores a text once, so that several decisions about it (the nudge's and the post's) share one scoring.
   * Never throws: a failed scoring is kept, and fails the phases that read it.
   */
  score(text: string, policy: SitePolicy): Scoring {
    try {
      // Scoring is linear in the length and synchronous: a text the length phase will reject is not scored
      // (maxLength counts characters; a character is at most two UTF-16 units).
      const result = text.length <= policy.maxLength * 2 ? (this.scorer?.score(text) ?? null) : null;
      // A score that is not a probability (NaN from a broken model, say) must not read as "harmless".
      const broken = result && Object.entries(result.scores).find(([, v]) => !(Number.isFinite(v) && v >= 0 && v <= 1));
      if (broken) throw new Error(`the classifier gave ${broken[0]} the score ${broken[1]}`);
      return { text, maxLength: policy.maxLength, result, error: null };
    } catch (error) {
      return { text, maxLength: policy.maxLength, result: null, error };
    }
  }

  /**
   * @param author defaults to an established author, for checks that concern the text alone (the nudge)
   * @param scoring this text's scoring under this policy, when the caller already has it
   */
  decide(
    text: string,
    policy: SitePolicy,
    author: AuthorFacts = ESTABLISHED_AUTHOR,
    scoring: Scoring = this.score(text, policy),
  ): Decision {
    if (scoring.text !== text || scoring.maxLength !== policy.maxLength) scoring = this.score(text, policy);
    const { result, error: scoringError } = scoring;
    const thresholds = this.thresholds(policy);
    const facts: Facts = {
      text,
      policy,
      author,
      thresholds,
      // A phase that reads the scores of a failed scoring fails itself, and so holds the comment.
      get scores() {
        if (scoringError) throw scoringError;
        return result?.scores ?? null;
      },
      spans: result?.spans ?? [],
    };
    const scores = result?.scores ?? null;
    const spans = result?.spans ?? [];
    const flaggedLabels = scores ? (Object.keys(thresholds) as Label[]).filter((l) => scores[l] >= thresholds[l].hold) : [];
    for (const phase of PHASES) {
      let verdict: Verdict | null;
      try {
        verdict = phase.run(facts);
      } catch {
        verdict = failed(phase.name);
      }
      if (verdict) return { ...verdict, scores, spans, flaggedLabels };
    }
    return { status: 'published', reasons: [], scores, spans, flaggedLabels };
  }

  private thresholds(policy: SitePolicy): Record<Label, LabelPolicy> {
    const shipped: Partial<Record<Label, LabelPolicy>> = this.scorer?.thresholds ?? {};
    return { ...shipped, ...policy.thresholds } as Record<Label, LabelPolicy>;
  }
}
