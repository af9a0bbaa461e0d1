import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/db.js';
import { AccountService } from '../../src/core/accounts.js';
import { findUserByApiToken } from '../../src/storage/sessions.js';

const parley = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

it('creates users with a role and API tokens from the command line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  const env = { PARLEY_DATA_DIR: dir };
  try {
    const created = parley(['user', 'create', '--username', 'chief', '--password', 'front page editor pw', '--role', 'admin'], env);
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /created admin "chief"/);
    const duplicate = parley(['user', 'create', '--username', 'CHIEF', '--password', 'another password'], env);
    assert.equal(duplicate.status, 1);
    assert.match(duplicate.stderr, /already taken/);
    const badRole = parley(['user', 'create', '--username', 'x1', '--password', 'long enough pw', '--role', 'king'], env);
    assert.equal(badRole.status, 2);
    const token = parley(['user', 'token', '--username', 'chief'], env);
    assert.equal(token.status, 0, token.stderr);

    const storage = await openStorage({ location: join(dir, 'parley.sqlite') });
    try {
      const { user } = await new AccountService(storage).logIn('chief', 'front page editor pw', 60_000);
      assert.equal(user.role, 'admin');
      assert.equal((await findUserByApiToken(storage.db, token.stdout.trim()))?.id, user.id);
    } finally {
      await storage.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('prints usage and exits 2 on an unknown command', () => {
  const res = parley(['frobnicate'], {});
  assert.equal(res.status, 2);
  assert.match(res.stderr, /usage: parley/);
});
