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
  live: ['storage', 'contracts'],
  server: ['core', 'storage', 'moderation', 'content', 'contracts', 'engine/index.ts', 'pages', 'config.ts', 'live', 'interop', 'delivery'],
  delivery: ['core', 'storage', 'contracts'],
  pages: ['server', 'core', 'storage', 'moderation', 'content', 'contracts'],
  interop: ['core', 'storage', 'moderation', 'content', 'contracts'],
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

/** The relative imports of a file, as absolute .ts paths. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)].map(([, specifier]) =>
    resolve(dirname(file), specifier!).replace(/\.js$/, '.ts'),
  );
}

it('has no import cycles in src/ (no two files import each other, directly or around a loop)', () => {
  const graph = new Map(files(SRC).map((file) => [file, importsOf(file)]));
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]) => {
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') cycles.push([...path.slice(path.indexOf(target)), target].map((f) => relative(SRC, f)).join(' -> '));
      else if (!state.has(target)) visit(target, [...path, target]);
    }
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
  assert.deepEqual(cycles, []);
});

it('lets the moderator console import only src/contracts from the server side', () => {
  const CONSOLE = resolve('web/admin/src');
  const consoleFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? consoleFiles(path) : /\.tsx?$/.test(path) ? [path] : [];
    });
  const violations = consoleFiles(CONSOLE).flatMap((file) =>
    importsOf(file)
      .filter((target) => target.startsWith(`${SRC}/`) && !target.startsWith(`${SRC}/contracts/`))
      .map((target) => `${relative(CONSOLE, file)} -> ${relative(SRC, target)}`),
  );
  assert.deepEqual(violations, []);
});
