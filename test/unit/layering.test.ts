// Keeps the architecture honest: each part imports only the parts docs/architecture.md allows.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');

/** Which top-level parts of src/ each part may import (besides itself and npm packages). */
const ALLOWED: Record<string, string[]> = {
  engine: [],
  contracts: ['engine/labels.ts'],
  content: [],
  storage: ['contracts'],
  moderation: ['engine/index.ts', 'contracts'],
  core: ['storage', 'moderation', 'content', 'contracts'],
  server: ['core', 'storage', 'moderation', 'content', 'contracts', 'engine/index.ts', 'pages', 'config.ts'],
  pages: ['server', 'core', 'storage', 'moderation', 'content', 'contracts'],
  'config.ts': ['core'],
  cli: ['*'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const partOf = (path: string) => relative(SRC, path).split('/')[0]!;

it('imports follow the layering in docs/architecture.md', () => {
  const violations: string[] = [];
  for (const file of files(SRC)) {
    const part = partOf(file);
    const allowed = ALLOWED[part];
    assert.ok(allowed, `src/${part} is not in the layering table`);
    if (allowed.includes('*')) continue;
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)) {
      const target = resolve(dirname(file), specifier!).replace(/\.js$/, '.ts');
      const targetPart = partOf(target);
      if (targetPart === part) continue;
      const targetPath = relative(SRC, target);
      if (!allowed.some((a) => targetPath === a || targetPart === a)) violations.push(`${relative(SRC, file)} -> ${targetPath}`);
    }
  }
  assert.deepEqual(violations, []);
});
