// Running Parley for real: a backup taken while it serves restores on SQLite and PostgreSQL, and a server
// told to stop drains and exits by itself.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openStorage, type Storage } from '../../src/storage/db.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { createEmptyPostgresDatabase } from '../helpers/databases.js';

const parley = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

async function seed(storage: Storage, stories: number): Promise<void> {
  const site = await insertSite(storage.db, 'Backed up', JSON.stringify(DEFAULT_POLICY));
  for (let i = 0; i < stories; i++) {
    await insertStory(storage.db, { site_id: site.id, url: `https://news.example.com/${i}`, title: `Story ${i}`, published_at: i });
  }
}

const countStories = async (storage: Storage) => Number((await storage.db.selectFrom('stories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

it('backs up a SQLite database while it is written to, and the copy opens as a working database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-backup-'));
  try {
    const storage = await openStorage({ location: join(dir, 'parley.sqlite') });
    await seed(storage, 200);
    const backup = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'backup', '--out', join(dir, 'copy.sqlite')], { env: { ...process.env, PARLEY_DATA_DIR: dir } });
    let output = '';
    backup.stdout.on('data', (chunk) => (output += chunk));
    // Writes go on during the backup: the copy is consistent, and the writer is never refused.
    const site = await storage.db.selectFrom('sites').select('id').executeTakeFirstOrThrow();
    for (let i = 0; i < 50; i++) {
      await insertStory(storage.db, { site_id: site.id, url: `https://news.example.com/during/${i}`, title: 'During', published_at: i });
    }
    const [code] = (await once(backup, 'exit')) as [number];
    assert.equal(code, 0, output);
    assert.match(output, /backed up to/);
    await storage.close();
    const copy = await openStorage({ location: join(dir, 'copy.sqlite') });
    try {
      const n = await countStories(copy);
      assert.ok(n >= 200 && n <= 250, `the copy holds a consistent state (${n} stories)`);
    } finally {
      await copy.close();
    }
    const again = parley(['backup', '--out', join(dir, 'copy.sqlite')], { PARLEY_DATA_DIR: dir });
    assert.equal(again.status, 1, 'an existing file is never overwritten');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('backs up PostgreSQL with pg_dump, and pg_restore brings it back into an empty database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-backup-pg-'));
  const source = await createEmptyPostgresDatabase();
  const target = await createEmptyPostgresDatabase();
  try {
    const storage = await openStorage({ location: source.url });
    await seed(storage, 30);
    await storage.close();
    const file = join(dir, 'parley.dump');
    const backup = parley(['backup', '--out', file], { DATABASE_URL: source.url });
    assert.equal(backup.status, 0, backup.stderr);
    const restore = spawnSync('pg_restore', ['--no-owner', '--dbname', target.url, file], { encoding: 'utf8' });
    assert.equal(restore.status, 0, restore.stderr);
    const restored = await openStorage({ location: target.url });
    try {
      assert.equal(await countStories(restored), 30);
    } finally {
      await restored.close();
    }
  } finally {
    await source.drop();
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('drains on SIGTERM and exits by itself, with code 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-drain-'));
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: { ...process.env, PARLEY_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', PARLEY_CLASSIFIER: 'off', LOG_LEVEL: 'info' },
  });
  try {
    let log = '';
    const listening = new Promise<string>((resolve) => {
      server.stdout.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const address = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1];
        if (address) resolve(address);
      });
    });
    const base = await listening;
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    server.kill('SIGTERM');
    const [code] = (await once(server, 'exit')) as [number];
    assert.equal(code, 0);
    assert.match(log, /draining/);
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

it('serves with several workers on one port, and stops them all on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-workers-'));
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--workers', '2'], {
    env: { ...process.env, PARLEY_DATA_DIR: dir, PORT: '0', PARLEY_CLASSIFIER: 'off', LOG_LEVEL: 'info' },
  });
  try {
    let log = '';
    const bothListening = new Promise<string[]>((resolve) => {
      server.stdout.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const addresses = [...log.matchAll(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1]!);
        if (addresses.length >= 2) resolve(addresses);
      });
    });
    const addresses = await bothListening;
    assert.equal(new Set(addresses).size, 1, 'the workers share one port, on this machine only');
    assert.equal((log.match(/Admin login \(shown only this once\)/g) ?? []).length, 1, 'the first start ran once');
    for (let i = 0; i < 10; i++) assert.equal((await fetch(`${addresses[0]}/readyz`)).status, 200);
    server.kill('SIGTERM');
    const [code] = (await once(server, 'exit')) as [number];
    assert.equal(code, 0);
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
