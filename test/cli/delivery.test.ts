// The command line's part of mail and webhooks: a site's webhooks (add prints the secret once, list, remove) and
// the moderators' daily digest, sent to a real SMTP server started here.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/db.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertUser, updateUser } from '../../src/storage/users.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { Mailbox } from '../helpers/mailbox.js';

const run = promisify(execFile);
/** The command, run without blocking this process (its SMTP server must keep answering). */
const parley = (args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

it('adds, lists and removes a site webhook, and sends the digest to moderators with a confirmed address', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-delivery-'));
  const mailbox = await Mailbox.start();
  const env = { PARLEY_DATA_DIR: dir, PARLEY_SMTP_URL: mailbox.url };
  try {
    const storage = await openStorage({ location: join(dir, 'parley.sqlite') });
    const site = await insertSite(storage.db, 'The Harbour Gazette', JSON.stringify(DEFAULT_POLICY));
    const moderator = await insertUser(storage.db, { username: 'desk', email: 'desk@example.com', passwordHash: 'x', role: 'moderator', siteId: site.id });
    await updateUser(storage.db, moderator.id, { email_verified_at: Date.now() });
    await insertUser(storage.db, { username: 'unconfirmed', email: 'unconfirmed@example.com', passwordHash: 'x', role: 'moderator' });
    await storage.close();

    const added = await parley(['site', 'webhook', 'add', '--site', site.id, '--url', 'https://hooks.example.com/parley', '--events', 'comment.created,user.banned'], env);
    assert.equal(added.status, 0, added.stderr);
    const [id] = added.stdout.split('\t');
    assert.match(added.stdout, /signing secret \(shown once\): whsec_/);
    const listed = await parley(['site', 'webhook', 'list', '--site', site.id], env);
    assert.equal(listed.stdout, `${id}\thttps://hooks.example.com/parley\tcomment.created,user.banned\n`);
    assert.equal((await parley(['site', 'webhook', 'add', '--site', site.id, '--url', 'ftp://x'], env)).status, 1);
    assert.equal((await parley(['site', 'webhook', 'add', '--site', site.id], env)).status, 2);
    const removed = await parley(['site', 'webhook', 'remove', '--site', site.id, id!], env);
    assert.equal(removed.status, 0, removed.stderr);
    assert.equal((await parley(['site', 'webhook', 'list', '--site', site.id], env)).stdout, '');

    const digest = await parley(['mail', 'digest'], env);
    assert.equal(digest.status, 0, digest.stderr);
    assert.match(digest.stdout, /digest planned for 1 staff/);
    const mail = await mailbox.next('desk@example.com');
    assert.match(mail.headers.get('subject') ?? '', /Moderation queues on .*: 0 waiting, 0 reported/);
    assert.equal(mailbox.to('unconfirmed@example.com').length, 0);
    assert.equal((await parley(['mail', 'digest'], { PARLEY_DATA_DIR: dir, PARLEY_SMTP_URL: '' })).status, 1, 'no SMTP: says so');
  } finally {
    await mailbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
