// parley model export-decisions --site SITE [--out file.csv] [--since 2026-11-01]
//   writes a site's moderator decisions (approvals, rejections with their reason, labels confirmed or corrected in
//   the console) as the training CSV the engine's trainer reads; standard output without --out.
// parley model train --base shipped --data file.csv [--data more.csv] [--out models/sites/SITE.model] [--epochs 4] [--lr 0.003]
//   fine-tunes a site model from the shipped model's weights on those rows (deterministic).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LearningService, decisionsCsv } from '../core/learning.js';
import { parseArgs } from './args.js';
import { withStorage } from './storage.js';

const USAGE =
  'usage: parley model export-decisions --site SITE [--out file.csv] [--since YYYY-MM-DD]\n' +
  '       parley model train --base shipped|path.model --data file.csv [--data more.csv] [--out path.model] [--epochs N] [--lr X]\n';

export async function run(args: string[]): Promise<number> {
  const { flags, words } = parseArgs(args);
  const action = words[0];
  if (action === 'export-decisions') return exportDecisions(flags);
  if (action === 'train') return (await import('./model-train.js')).train(args.slice(1));
  process.stderr.write(USAGE);
  return 2;
}

async function exportDecisions(flags: Map<string, string>): Promise<number> {
  const site = flags.get('site');
  const sinceText = flags.get('since');
  const since = sinceText === undefined ? null : Date.parse(sinceText);
  if (!site || site === 'true' || (since !== null && !Number.isFinite(since))) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withStorage(async (storage) => {
    const examples = await new LearningService(storage).examples(site, since);
    const csv = decisionsCsv(site, examples);
    const out = flags.get('out');
    if (out && out !== 'true') {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, csv);
      process.stderr.write(`wrote ${examples.length} decisions of site ${site} to ${out}\n`);
    } else process.stdout.write(csv);
    return 0;
  });
}
