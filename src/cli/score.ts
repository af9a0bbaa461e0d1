// parley score "some text"        -> {"scores": {...}, "spans": [...], "thresholds": {...}, "version": "..."}
// parley score --jsonl [--spans]  -> reads {"id": ..., "text": ...} lines on stdin, writes {"id": ..., "scores": {...}}
//                                    (and "spans" with --spans) lines on stdout, one line at a time (constant memory).
//                                    A malformed line gets {"line": n, "id"?: ..., "error": "..."} on stderr and the stream goes on.
// Options: --model <path> (default: the shipped model).
// Exit code: 0 when every line was scored, 1 when at least one line was malformed, 2 on bad usage.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { loadClassifier, type Classifier } from '../engine/index.js';

const USAGE = 'usage: parley score [--model path] "text"\n       parley score [--model path] --jsonl [--spans] < input.jsonl\n';

async function write(stream: NodeJS.WriteStream, line: string): Promise<void> {
  if (!stream.write(line)) await once(stream, 'drain');
}

async function runJsonl(clf: Classifier, withSpans: boolean): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let failed = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let id: unknown;
    try {
      const obj: unknown = JSON.parse(line);
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error('expected a JSON object');
      const rec = obj as Record<string, unknown>;
      id = rec['id'];
      if (typeof rec['text'] !== 'string') throw new Error('"text" must be a string');
      const r = clf.score(rec['text']);
      const out: Record<string, unknown> = { id: id ?? null, scores: r.scores };
      if (withSpans) out['spans'] = r.spans;
      await write(process.stdout, JSON.stringify(out) + '\n');
    } catch (err) {
      failed++;
      const e: Record<string, unknown> = { line: lineNo };
      if (id !== undefined) e['id'] = id;
      e['error'] = err instanceof Error ? err.message : String(err);
      await write(process.stderr, JSON.stringify(e) + '\n');
    }
  }
  return failed > 0 ? 1 : 0;
}

export async function run(args: string[]): Promise<number> {
  let modelPath: string | undefined;
  let jsonl = false;
  let withSpans = false;
  const texts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--jsonl') jsonl = true;
    else if (a === '--spans') withSpans = true;
    else if (a === '--model') {
      modelPath = args[++i];
      if (modelPath === undefined) {
        process.stderr.write(USAGE);
        return 2;
      }
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a === '--') {
      texts.push(...args.slice(i + 1));
      break;
    } else texts.push(a);
  }
  if (jsonl === texts.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  let clf: Classifier;
  try {
    clf = loadClassifier(modelPath);
  } catch (err) {
    process.stderr.write(`cannot load model: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  if (jsonl) return runJsonl(clf, withSpans);
  const r = clf.score(texts.join(' '));
  process.stdout.write(JSON.stringify({ scores: r.scores, spans: r.spans, thresholds: clf.thresholds, version: clf.version }, null, 2) + '\n');
  return 0;
}
