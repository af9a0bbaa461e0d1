// Loading labelled examples, the held-out split, and derived labels.
import { basename } from 'node:path';
import { LABELS, NUM_LABELS } from '../labels.js';
import { readCsv } from './csv.js';

export interface Example {
  id: string;
  source: string;
  text: string;
  /** one value per label in [0,1], NaN = the source says nothing about it */
  y: Float32Array;
}

/** Percent of groups held out for validation. */
export const HOLDOUT_PERCENT = 10;

/**
 * Group of an id for the split: a Civil Comments post ("cc-123") and its sentences ("cs-123-4")
 * share a group, so that no sentence of a held-out post is trained on.
 */
export function splitGroup(id: string): string {
  const m = /^c[cs]-(\d+)(?:-\d+)?$/.exec(id);
  return m ? `civil-${m[1] as string}` : id;
}

/** Stable 32-bit FNV-1a hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function isHeldOut(id: string): boolean {
  return fnv1a(`parley-split:${splitGroup(id)}`) % 100 < HOLDOUT_PERCENT;
}

/**
 * A second small slice of Civil Comments posts (5% of post groups, disjoint from the held-out split)
 * is kept out of training too: the span rule is tuned on its rows of spans.jsonl, so that it is
 * tuned on scores of posts the model has not seen (as in real use), not on training posts.
 */
export function isSpanTune(id: string): boolean {
  const g = splitGroup(id);
  if (!g.startsWith('civil-')) return false;
  const b = fnv1a(`parley-split:${g}`) % 100;
  return b >= HOLDOUT_PERCENT && b < HOLDOUT_PERCENT + 5;
}

export function parseLabel(cell: string | undefined): number {
  if (cell === undefined) return NaN;
  const t = cell.trim();
  if (t === '') return NaN;
  const v = Number(t);
  if (!Number.isFinite(v)) return NaN;
  return Math.min(1, Math.max(0, v));
}

/** Reads any CSV with a `text` or `comment_text` column and any subset of the label columns. */
export function loadCsv(path: string): Example[] {
  const rows = readCsv(path);
  const fallbackSource = basename(path).replace(/\.csv$/i, '');
  const out: Example[] = [];
  rows.forEach((r, k) => {
    const text = r['text'] ?? r['comment_text'];
    if (text === undefined) throw new Error(`${path}: no "text" or "comment_text" column`);
    const y = new Float32Array(NUM_LABELS);
    LABELS.forEach((l, i) => {
      y[i] = parseLabel(r[l]);
    });
    out.push({ id: r['id'] || `${fallbackSource}:${k + 2}`, source: r['source'] || fallbackSource, text, y });
  });
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Undo tweet-scrape artefacts in training text: HTML entities, "RT @user:", @handles, URLs. */
export function cleanForTraining(text: string): string {
  return text
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d) > 0x10ffff ? 32 : Number(d)))
    .replace(/&([a-z]+);/g, (m, n: string) => ENTITIES[n] ?? m)
    .replace(/\bRT\b:?/g, ' ')
    .replace(/@\w{2,}:?/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const T = 0; // toxic
const SEV = 1;
const OBS = 2;
const THR = 3;
const INS = 4;
const IDH = 5;

/**
 * severe_toxic is labelled in almost no file. Where it is missing but toxic is known, derive it as
 * toxic x max(min(threat, max(obscene, insult, identity_hate)), min(obscene, insult), min(identity_hate, obscene)):
 * "severe" = toxic and two kinds of harm at once. Missing components count as 0; if none of
 * obscene/threat/insult is known the label stays missing.
 */
export function deriveSevere(y: Float32Array): void {
  if (!Number.isNaN(y[SEV] as number)) return;
  const tox = y[T] as number;
  if (Number.isNaN(tox)) return;
  const o = y[OBS] as number;
  const th = y[THR] as number;
  const ins = y[INS] as number;
  if (Number.isNaN(o) && Number.isNaN(th) && Number.isNaN(ins)) return;
  const z = (v: number): number => (Number.isNaN(v) ? 0 : v);
  const ih = z(y[IDH] as number);
  const v = Math.max(Math.min(z(th), Math.max(z(o), z(ins), ih)), Math.min(z(o), z(ins)), Math.min(ih, z(o)));
  y[SEV] = tox * v;
}

export const LABEL_INDEX = { toxic: T, severe_toxic: SEV, obscene: OBS, threat: THR, insult: INS, identity_hate: IDH } as const;
