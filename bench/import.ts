// Imports a generated Disqus file into a throw-away database and reports the rate and the peak memory.
//
//   node --import tsx bench/import.ts [--comments 1000000] [--stories 20000] [--db sqlite|postgres]
//
// The file is written first (each story's posts together, a third of them replies, some before their
// parent); the import then runs with the shipped classifier scoring every comment, as `parley import` does.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStorage } from '../src/storage/db.js';
import { insertSite } from '../src/storage/sites.js';
import { DEFAULT_POLICY } from '../src/moderation/policy.js';
import { ModerationStep } from '../src/moderation/step.js';
import { loadScorer } from '../src/server/scorer.js';
import { Importer, type ImportProgress } from '../src/interop/importer.js';
import { mulberry32 } from '../src/engine/training/random.js';
import { createEmptyPostgresDatabase } from '../test/helpers/databases.js';

const { values } = parseArgs({
  options: {
    comments: { type: 'string', default: '1000000' },
    stories: { type: 'string', default: '20000' },
    db: { type: 'string', default: 'sqlite' },
  },
});
const comments = Number(values.comments);
const stories = Number(values.stories);
if (!Number.isInteger(comments) || !Number.isInteger(stories) || stories < 1 || (values.db !== 'sqlite' && values.db !== 'postgres')) {
  console.error('usage: node --import tsx bench/import.ts [--comments N] [--stories N] [--db sqlite|postgres]');
  process.exit(2);
}

const SENTENCES = [
  'The council should publish the full budget before the vote.',
  'I drove over the bridge this morning and it was <b>fine</b>.',
  'Twelve per cent over budget is not bad for a project this size.',
  'Does anyone know when the buses return to the old route?',
  'This is the third time this year &amp; nobody is surprised.',
  'Great reporting, thank you for following up on this.',
];

async function writeFile(path: string): Promise<void> {
  const random = mulberry32(7);
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');
  for (let s = 0; s < stories; s++) {
    await write(`<thread dsq:id="t${s}"><link>https://news.example.com/${s}/story</link><title>Story ${s}</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>\n`);
  }
  const perStory = Math.ceil(comments / stories);
  let held: string | null = null;
  for (let n = 0; n < comments; n++) {
    const story = Math.floor(n / perStory);
    const first = story * perStory;
    // A third are replies to an earlier comment of the same story; one reply in ten comes before its parent.
    const reply = n > first && random() < 0.33;
    const parent = reply ? first + Math.floor(random() * (n - first)) : null;
    const body = `${SENTENCES[n % SENTENCES.length]} ${SENTENCES[(n * 7) % SENTENCES.length]}`;
    const at = new Date(Date.UTC(2020, 0, 1) + n * 1000).toISOString();
    const post =
      `<post dsq:id="p${n}"><message><![CDATA[<p>${body}</p>]]></message><createdAt>${at}</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>` +
        `<author><name>Reader ${n % 5000}</name><email>reader${n % 5000}@example.com</email></author><thread dsq:id="t${story}" />` +
      `${parent !== null ? `<parent dsq:id="p${parent}" />` : ''}</post>\n`;
    // One post in ten swaps places with the one before it: a reply may then come before its parent.
    if (held !== null && random() < 0.1) {
      await write(post);
    } else {
      if (held !== null) await write(held);
      held = post;
      continue;
    }
    await write(held!);
    held = null;
  }
  if (held !== null) await write(held);
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
}

const dir = mkdtempSync(join(tmpdir(), 'parley-bench-import-'));
const file = join(dir, 'disqus.xml');
const pg = values.db === 'postgres' ? await createEmptyPostgresDatabase() : null;
try {
  let started = Date.now();
  await writeFile(file);
  console.log(`generated ${comments} comments on ${stories} stories: ${(statSync(file).size / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const storage = await openStorage({ location: pg ? pg.url : join(dir, 'parley.sqlite') });
  const site = await insertSite(storage.db, 'Bench', JSON.stringify(DEFAULT_POLICY));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  const passes = new Map<ImportProgress['pass'], number>();
  started = Date.now();
  const summary = await new Importer(storage, new ModerationStep(loadScorer())).run({
    siteId: site.id,
    source: 'disqus',
    file,
    moderation: 'score',
    onProgress: (p) => {
      if (!passes.has(p.pass)) passes.set(p.pass, Date.now());
    },
  });
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const pass = (name: ImportProgress['pass'], next: number) => (((passes.get(name) !== undefined ? next - passes.get(name)! : 0)) / 1000).toFixed(1);
  console.log(
    `${values.db}: ${summary.comments.placed} comments and ${summary.stories.created} stories imported in ${seconds.toFixed(1)} s ` +
      `(${Math.round(summary.comments.placed / seconds)} comments/s; check+stage ${pass('check', passes.get('place') ?? Date.now())} s, place ${pass('place', Date.now())} s), ` +
      `peak RSS ${(peak / 1e6).toFixed(0)} MB`,
  );
  await storage.close();
} finally {
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
}
