// Runs every test file under test/ with Node's test runner (TypeScript through tsx), and ends with
// one line "N passed, N failed". Arguments narrow the run: `npm test -- test/api` runs only that folder.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path).sort().flatMap((name) => collect(join(path, name)));
}

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = (roots.length ? roots : ['test']).flatMap(collect);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The browser tests need the browser code built; `npm start` and CI build it, a bare `npm test` may not have.
// The story script goes before the embed, whose build counts it in the embed's size budget.
for (const [output, config, what] of [
  ['web/dist/admin/index.html', 'web/admin/vite.config.ts', 'the moderator console'],
  ['web/dist/story/story.js', 'web/story/vite.config.ts', "the story page's script"],
  ['web/dist/embed/embed.js', 'web/embed/vite.config.ts', 'the embed'],
]) {
  if (existsSync(output)) continue;
  console.log(`building ${what} for its browser tests (npx vite build)`);
  const build = spawnSync('npx', ['vite', 'build', '--config', config, '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const dir = mkdtempSync(join(tmpdir(), 'parley-tests-'));
const tap = join(dir, 'results.tap');
// Standard error is piped, so that 'close' waits for every process holding it (browsers too):
// the summary line is then really the last line.
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...flags, ...files,
  ],
  { stdio: ['inherit', 'inherit', 'pipe'] },
);
child.stderr.pipe(process.stderr);
const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
const summary = readFileSync(tap, 'utf8');
rmSync(dir, { recursive: true, force: true });
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
console.log(`${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed === 0 && passed > 0 ? 0 : 1);
