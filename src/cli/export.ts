// `parley export --site SITE [--out FILE] [--format jsonl|csv]`: a site's archive, or its comments as CSV.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { exportArchive, exportCommentsCsv } from '../interop/archive.js';
import { parseArgs } from './args.js';
import { withStorage } from './storage.js';

const USAGE =
  'usage: parley export --site SITE_ID [--out FILE] [--format jsonl|csv]\n' +
  '  jsonl (default): the whole site, to read back with `parley import parley FILE`\n' +
  '  csv: one row per comment with its scores, decisions and moderator actions\n';

export async function run(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  const siteId = flags.get('site');
  const format = flags.get('format') ?? 'jsonl';
  if (!siteId || (format !== 'jsonl' && format !== 'csv')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const outPath = flags.get('out');
  const out: Writable = outPath ? createWriteStream(outPath) : process.stdout;
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  return withStorage(async (storage) => {
    if (format === 'csv') {
      const n = await exportCommentsCsv(storage, siteId, write);
      process.stderr.write(`${n} comments written\n`);
    } else {
      const counts = await exportArchive(storage, siteId, write);
      process.stderr.write(`${Object.entries(counts).map(([table, n]) => `${n} ${table}`).join(', ')} written\n`);
    }
    if (outPath) {
      out.end();
      await once(out, 'finish');
    }
    return 0;
  });
}
