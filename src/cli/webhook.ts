// `parley site webhook add|list|remove`: a site's webhooks from the command line (the operator acts for every site).
import { Deliveries } from '../core/deliveries.js';
import { WebhookService } from '../core/webhooks.js';
import { WEBHOOK_EVENTS } from '../contracts/limits.js';
import { configFromEnv } from '../config.js';
import { parseArgs } from './args.js';
import { withStorage } from './storage.js';

export const WEBHOOK_USAGE =
  '       parley site webhook add --site SITE_ID --url URL [--events comment.created,user.banned,…]\n' +
  '                                                               (prints the signing secret, once)\n' +
  '       parley site webhook list --site SITE_ID\n' +
  '       parley site webhook remove --site SITE_ID WEBHOOK_ID\n';

export async function runWebhook(args: string[]): Promise<number> {
  const { flags, words } = parseArgs(args);
  const [action, webhookId] = words;
  const siteId = flags.get('site');
  const url = flags.get('url');
  if (!siteId || !(action === 'list' || (action === 'add' && url) || (action === 'remove' && webhookId))) {
    process.stderr.write(`usage:\n${WEBHOOK_USAGE}       events: ${WEBHOOK_EVENTS.join(', ')} (default: all)\n`);
    return 2;
  }
  return withStorage(async (storage) => {
    const webhooks = new WebhookService(storage, new Deliveries(false), configFromEnv().delivery.allowInternalWebhooks);
    if (action === 'add') {
      const events = flags.get('events')?.split(',').map((e) => e.trim()).filter(Boolean) ?? [];
      const created = await webhooks.add(null, siteId, url!, events);
      process.stdout.write(`${created.id}\t${created.url}\t${created.events.join(',')}\nsigning secret (shown once): ${created.secret}\n`);
    } else if (action === 'list') {
      for (const hook of await webhooks.list(null, siteId)) process.stdout.write(`${hook.id}\t${hook.url}\t${hook.events.join(',')}\n`);
    } else {
      await webhooks.remove(null, siteId, webhookId!);
      process.stdout.write(`removed webhook ${webhookId}\n`);
    }
    return 0;
  });
}
