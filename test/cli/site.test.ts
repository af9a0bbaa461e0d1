import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/db.js';
import { insertSite, listSiteOrigins } from '../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import type { SiteRow } from '../../src/storage/schema.js';
import { findGuestMode } from '../../src/storage/guests.js';

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

/** A data folder with one site for a command to act on, removed after. */
async function withSite(run: (site: SiteRow, env: NodeJS.ProcessEnv, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  try {
    const storage = await openStorage({ location: join(dir, 'parley.sqlite') });
    const site = await insertSite(storage.db, 'The Harbour Gazette', JSON.stringify(DEFAULT_POLICY));
    await storage.close();
    await run(site, { PARLEY_DATA_DIR: dir }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it('sets a site\'s sign-on key and never prints it', async () => {
  await withSite(async (site, env, dir) => {
    const secret = 'harbour-gazette-shared-secret-32-bytes-at-least';

    assert.match(parley(['site', 'sso', '--site', site.id], env).stdout, /has no host sign-on/);
    const set = parley(['site', 'sso', '--site', site.id, '--hs256-secret', secret], env);
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /now accepts sign-on tokens signed with HS256/);
    const shown = parley(['site', 'sso', '--site', site.id], env);
    assert.match(shown.stdout, /signed with HS256/);
    for (const output of [set, shown]) assert.ok(!`${output.stdout}${output.stderr}`.includes(secret), 'the secret is never printed');

    const short = parley(['site', 'sso', '--site', site.id, '--hs256-secret', 'short'], env);
    assert.equal(short.status, 1);
    assert.match(short.stderr, /at least 32 bytes/);

    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const keyed = parley(['site', 'sso', '--site', site.id, '--public-key', keyFile], env);
    assert.equal(keyed.status, 0, keyed.stderr);
    assert.match(keyed.stdout, /signed with EdDSA/);
    assert.equal(parley(['site', 'sso', '--site', site.id, '--public-key', join(dir, 'missing.pem')], env).status, 1);
    assert.equal(parley(['site', 'sso', '--site', site.id, '--public-key', keyFile, '--hs256-secret', secret], env).status, 2);
    assert.equal(parley(['site', 'sso', '--site', 'nosuchsite', '--hs256-secret', secret], env).status, 1);
  });
});

it("adds, lists and removes a site's OpenID providers, never printing the secret", async () => {
  await withSite(async (site, env) => {
    const add = ['site', 'oidc', 'add', '--site', site.id, '--name', 'harbour-id', '--issuer', 'https://id.example.com', '--client-id', 'parley'];
    const added = parley([...add, '--client-secret', 'the-client-secret'], env);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /\/auth\/oidc\/harbour-id\/callback/);
    const list = parley(['site', 'oidc', 'list', '--site', site.id], env);
    assert.equal(list.stdout, 'harbour-id\thttps://id.example.com\tparley\n');
    assert.ok(![added, list].some((o) => o.stdout.includes('the-client-secret')));
    assert.equal(parley([...add], env).status, 2, 'the secret is required');
    const insecure = parley(['site', 'oidc', 'add', '--site', site.id, '--name', 'x', '--issuer', 'http://id.example.com', '--client-id', 'a', '--client-secret', 'b'], env);
    assert.equal(insecure.status, 1);
    assert.match(insecure.stderr, /https/);
    assert.match(parley(['site', 'oidc', 'remove', '--site', site.id, '--name', 'harbour-id'], env).stdout, /no longer offers/);
    assert.equal(parley(['site', 'oidc', 'list', '--site', site.id], env).stdout, '');
  });
});

it("turns a site's guest comments on and off", async () => {
  await withSite(async (site, env, dir) => {
    const on = parley(['site', 'guests', '--site', site.id, 'premoderate'], env);
    assert.equal(on.status, 0, on.stderr);
    assert.match(on.stdout, /takes guests' comments: premoderate/);
    assert.equal(parley(['site', 'guests', '--site', site.id, 'sometimes'], env).status, 2);
    const storage = await openStorage({ location: join(dir, 'parley.sqlite') });
    try {
      assert.equal(await findGuestMode(storage.db, site.id), 'premoderate');
    } finally {
      await storage.close();
    }
  });
});
