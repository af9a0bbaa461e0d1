// `npm start` builds only when the build is missing or older than a source file, so that a restart after
// an unchanged checkout starts at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const OUTPUTS = ['dist/cli/main.js', 'web/dist/admin/index.html', 'web/dist/story/story.js', 'web/dist/embed/embed.js'];
const INPUTS = ['src', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (path === join('web', 'dist') || path.endsWith('node_modules')) return 0;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = OUTPUTS.every((file) => existsSync(file)) ? Math.min(...OUTPUTS.map((file) => statSync(file).mtimeMs)) : 0;
const changed = Math.max(...INPUTS.map(newest));
if (built > changed) {
  console.log('the build is current');
} else {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  process.exit(build.status ?? 1);
}
