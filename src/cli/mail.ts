// `parley mail digest`: today's digest of the moderation queues to every moderator and admin with a confirmed
// address (a server plans it by itself at PARLEY_DIGEST_HOUR_UTC; this plans it now, once a day at most); `parley mail send`: send what the outbox holds that is due
// now (a server's dispatcher does it by itself).
import { configFromEnv } from '../config.js';
import { createContext } from '../server/context.js';
import { withStorage } from './storage.js';

const USAGE =
  'usage: parley mail digest   plan and send the daily digest of the queues to staff with a confirmed address\n' +
  '       parley mail send     send every mail and webhook call that is due now\n';

export async function run(args: string[]): Promise<number> {
  const [action] = args;
  if (action !== 'digest' && action !== 'send') {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = configFromEnv();
  return withStorage(async (storage) => {
    const context = createContext(storage, config, null);
    if (action === 'digest') {
      const planned = await context.mail.planDigest();
      process.stdout.write(planned === null ? "today's digest was planned already (once a day)\n" : `digest planned for ${planned} staff\n`);
    }
    process.stdout.write(`${await context.dispatcher.drain()} deliveries attempted\n`);
    return 0;
  });
}
