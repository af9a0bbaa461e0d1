// `parley import disqus|wordpress FILE --site SITE [--queue]`: a newsroom's existing comments, into one site.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { configFromEnv } from '../config.js';
import { openStorage } from '../storage/db.js';
import { loadScorer } from '../server/scorer.js';
import { ModerationStep } from '../moderation/step.js';
import { ParleyError } from '../core/errors.js';
import { Importer, ImportInterrupted, describeSummary, type ImportProgress } from '../interop/importer.js';
import type { ImportSource } from '../interop/formats.js';
import { importArchive } from '../interop/archive.js';
import { parseArgs } from './args.js';
import { withStorage } from './storage.js';

const USAGE =
  'usage: parley import disqus FILE.xml --site SITE_ID [--queue]\n' +
  '       parley import wordpress FILE.xml --site SITE_ID [--queue]\n' +
  '       parley import parley ARCHIVE.jsonl   (an archive from `parley export`, into an instance without that site)\n' +
  '  --queue  also hold for moderators what the site policy would hold (default: keep each comment as the file has it, scored)\n';

const PASS_NAMES = { check: 'checking the file', stage: 'reading stories and comments', place: 'placing comments in threads' };

/** A progress bar with rate and time left on a terminal; a plain line every few seconds elsewhere. */
function progressReporter(out: NodeJS.WriteStream) {
  let pass: ImportProgress['pass'] | null = null;
  let started = Date.now();
  let lastLine = 0;
  return {
    update(p: ImportProgress) {
      if (p.pass !== pass) {
        if (pass && out.isTTY) out.write('\n');
        pass = p.pass;
        started = Date.now();
      }
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? p.done / seconds : 0;
      const left = p.total && rate > 0 ? Math.max(0, (p.total - p.done) / rate) : null;
      const eta = left === null ? '' : `, ${Math.ceil(left)} s left`;
      const counted = p.total ? `${p.done}/${p.total}` : `${p.done}`;
      if (out.isTTY) {
        const share = p.total ? Math.min(1, p.done / p.total) : 0;
        const bar = p.total ? `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] ` : '';
        out.write(`\r${PASS_NAMES[p.pass]}: ${bar}${counted} (${Math.round(rate)}/s${eta})   `);
      } else if (Date.now() - lastLine > 5000 || p.done === p.total) {
        lastLine = Date.now();
        out.write(`${PASS_NAMES[p.pass]}: ${counted} (${Math.round(rate)}/s${eta})\n`);
      }
    },
    end() {
      if (pass && out.isTTY) out.write('\n');
    },
  };
}

async function importParleyArchive(file: string): Promise<number> {
  return withStorage(async (storage) => {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    const counts = await importArchive(storage, lines);
    process.stdout.write(`Imported ${Object.entries(counts).map(([table, n]) => `${n} ${table}`).join(', ')}.\n`);
    return 0;
  });
}

export async function run(args: string[]): Promise<number> {
  const { flags, words } = parseArgs(args);
  const [source, file] = words as [string | undefined, string | undefined];
  if (source === 'parley' && file) return importParleyArchive(file);
  const siteId = flags.get('site');
  if ((source !== 'disqus' && source !== 'wordpress') || !file || !siteId) {
    process.stderr.write(USAGE);
    return 2;
  }
  const storage = await openStorage({ location: configFromEnv().database });
  const stop = new AbortController();
  const interrupt = () => {
    process.stderr.write('\nstopping after this batch…\n');
    stop.abort();
  };
  process.once('SIGINT', interrupt);
  const reporter = progressReporter(process.stderr);
  try {
    const importer = new Importer(storage, new ModerationStep(loadScorer()));
    const summary = await importer.run({
      siteId,
      source: source as ImportSource,
      file,
      moderation: flags.get('queue') === 'true' ? 'queue' : 'score',
      signal: stop.signal,
      onProgress: reporter.update,
    });
    reporter.end();
    process.stdout.write(`${describeSummary(summary).join('\n')}\n`);
    return 0;
  } catch (error) {
    reporter.end();
    if (error instanceof ImportInterrupted) {
      process.stderr.write(`${error.message}\n`);
      return 130;
    }
    if (error instanceof ParleyError || (error instanceof Error && /not well-formed|ENOENT/.test(error.message))) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
    await storage.close();
  }
}
