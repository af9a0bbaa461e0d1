import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/db.js';
import { insertSite, listSiteOrigins } from '../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';

const parley = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

it('lists sites and allows and disallows embed origins from the command line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  const env = { PARLEY_DATA_DIR: dir };
  try {
    let storage = await openStorage({ location: join(dir, 'parley.sqlite') });
    const site = await insertSite(storage.db, 'The Harbour Gazette', JSON.stringify(DEFAULT_POLICY));
    await storage.close();

    const list = parley(['site', 'list'], env);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${site.id}\\tThe Harbour Gazette\\t\\(no allowed origins\\)$`, 'm'));

    const allowed = parley(['site', 'allow-origin', '--site', site.id, 'HTTPS://Gazette.Example.com/'], env);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.match(allowed.stdout, /now allows https:\/\/gazette\.example\.com/);
    assert.equal(parley(['site', 'allow-origin', '--site', site.id, 'http://127.0.0.1:8081'], env).status, 0);
    assert.match(parley(['site', 'list'], env).stdout, /https:\/\/gazette\.example\.com/);

    const bad = parley(['site', 'allow-origin', '--site', site.id, 'https://gazette.example.com/a-page'], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /scheme and host only/);
    assert.equal(parley(['site', 'allow-origin', '--site', 'nosuchsite', 'https://a.example'], env).status, 1);
    assert.equal(parley(['site', 'allow-origin', 'https://a.example'], env).status, 2);

    const removed = parley(['site', 'disallow-origin', '--site', site.id, 'http://127.0.0.1:8081'], env);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stdout, /no longer allows/);

    storage = await openStorage({ location: join(dir, 'parley.sqlite') });
    try {
      assert.deepEqual(await listSiteOrigins(storage.db, site.id), ['https://gazette.example.com']);
      // Each change that changed the list is in the audit log, by the command line, with the list before and after.
      const audit = await storage.db.selectFrom('audit_log').selectAll().where('target_id', '=', site.id).orderBy('created_at').orderBy('id').execute();
      assert.deepEqual(
        audit.map((e) => [e.action, e.actor_id, e.site_id, JSON.parse(e.before_json!).origins, JSON.parse(e.after_json!).origins]),
        [
          ['site.origins', 'command-line', site.id, [], ['https://gazette.example.com']],
          ['site.origins', 'command-line', site.id, ['https://gazette.example.com'], ['http://127.0.0.1:8081', 'https://gazette.example.com']],
          ['site.origins', 'command-line', site.id, ['http://127.0.0.1:8081', 'https://gazette.example.com'], ['https://gazette.example.com']],
        ],
      );
    } finally {
      await storage.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
