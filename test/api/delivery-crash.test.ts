// A crash between the commit of a comment and the sending of its notification: a real server process (`parley
// serve`) commits a reply with its dispatcher off, is killed with SIGKILL, and a new process, dispatcher on, sends
// the planned mail once, to a real SMTP server started here.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { DIALECTS, createTestDatabase } from '../helpers/databases.js';
import { Mailbox } from '../helpers/mailbox.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { subscribeToReplies } from '../../src/storage/mail.js';
import { updateUser } from '../../src/storage/users.js';
import { AccountService } from '../../src/core/accounts.js';
import { CommentService } from '../../src/core/comments.js';
import { ModerationStep } from '../../src/moderation/step.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { configFromEnv } from '../../src/config.js';

const mailbox = await Mailbox.start();
after(() => mailbox.close());

/** `parley serve` on a free port of this machine; resolves with its address once it listens. */
async function serve(database: string, env: Record<string, string>): Promise<{ server: ChildProcess; base: string }> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: { ...process.env, DATABASE_URL: database, PORT: '0', HOST: '127.0.0.1', PARLEY_CLASSIFIER: 'off', LOG_LEVEL: 'info', PARLEY_SMTP_URL: mailbox.url, ...env },
  });
  let log = '';
  const base = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const address = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1];
      if (address) resolve(address);
    });
    server.once('exit', (code) => reject(new Error(`the server ended (${code}) before listening: ${log}`)));
  });
  return { server, base };
}

async function kill(server: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill(signal);
  await exited;
}

for (const dialect of DIALECTS) {
  it(`sends a reply notification once after the server died between the commit and the sending [${dialect}]`, async () => {
    const database = await createTestDatabase(dialect);
    const { db } = database.storage;
    const servers: ChildProcess[] = [];
    // One mailbox for both databases: each run mails its own address.
    const address = `crash_author_${dialect}@example.com`;
    try {
      const site = await insertSite(db, 'Crash site', JSON.stringify(DEFAULT_POLICY));
      const story = await insertStory(db, { site_id: site.id, url: 'https://news.example.com/crash', title: 'The crash story', published_at: Date.now() });
      const accounts = new AccountService(database.storage);
      const author = await accounts.create({ username: `crash_author_${dialect}`, email: address, password: 'the author password' });
      await accounts.create({ username: 'crash_replier', email: 'crash_replier@example.com', password: 'the replier password' });
      await updateUser(db, author.id, { email_verified_at: Date.now() });
      await subscribeToReplies(db, author.id, story.id);
      const parent = await new CommentService(database.storage, new ModerationStep(null), configFromEnv({}).core).post(author, story.id, 'Who saw the crash?', null);

      // First process: writes the outbox, sends nothing.
      const first = await serve(database.location, { PARLEY_DELIVERY: 'off' });
      servers.push(first.server);
      const login = await fetch(`${first.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'crash_replier', password: 'the replier password' }),
      });
      assert.equal(login.status, 200);
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const reply = await fetch(`${first.base}/api/stories/${story.id}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ body: 'I did, from the bridge.', parentId: parent.comment.id }),
      });
      assert.equal(reply.status, 201, await reply.clone().text());
      await kill(first.server, 'SIGKILL');

      const planned = await db.selectFrom('outbox').selectAll().where('kind', '=', 'mail').execute();
      assert.equal(planned.length, 1, 'the notification was committed with the reply');
      assert.equal(planned[0]!.status, 'pending');
      assert.equal(planned[0]!.attempts, 0);
      assert.equal(mailbox.to(address).length, 0, 'nothing was sent before the crash');

      // Second process: its dispatcher finds the notification and sends it.
      const second = await serve(database.location, { PARLEY_OUTBOX_POLL_MS: '100' });
      servers.push(second.server);
      const mail = await mailbox.next(address);
      assert.match(mail.body, /I did, from the bridge\./);
      let row = planned[0]!;
      for (let i = 0; i < 100 && row.status !== 'sent'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        row = await db.selectFrom('outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      }
      // Sent, in one attempt: no dispatcher claims it again.
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 1);
      await kill(second.server, 'SIGTERM');
      assert.equal(mailbox.to(address).length, 1, 'sent exactly once');
    } finally {
      for (const server of servers) await kill(server, 'SIGKILL');
      await database.drop();
    }
  });
}
