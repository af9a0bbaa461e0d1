// Cuts a comment's text into plain runs and highlighted runs from the classifier's spans (UTF-16
// offsets into the text as written). Overlapping or touching spans merge into one run that carries
// every label involved, so no character is ever shown twice or dropped.
import type { Span } from './types.js';

export interface Segment {
  text: string;
  /** Labels of the spans covering this run; empty for plain text. */
  labels: string[];
  start: number;
}

export function segments(text: string, spans: readonly Span[]): Segment[] {
  const ranges = spans
    .map((s) => ({ start: Math.max(0, Math.min(text.length, s.start)), end: Math.max(0, Math.min(text.length, s.end)), label: s.label }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Array<{ start: number; end: number; labels: string[] }> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) {
      last.end = Math.max(last.end, r.end);
      if (!last.labels.includes(r.label)) last.labels.push(r.label);
    } else {
      merged.push({ start: r.start, end: r.end, labels: [r.label] });
    }
  }
  const out: Segment[] = [];
  let at = 0;
  for (const m of merged) {
    if (m.start > at) out.push({ text: text.slice(at, m.start), labels: [], start: at });
    out.push({ text: text.slice(m.start, m.end), labels: m.labels, start: m.start });
    at = m.end;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), labels: [], start: at });
  return out;
}
