import { SiteService } from '../core/sites.js';
import { parseArgs } from './args.js';
import { withStorage } from './storage.js';
import { WEBHOOK_USAGE, runWebhook } from './webhook.js';

const USAGE =
  'usage: parley site list                                        (each site: id, name, allowed origins)\n' +
  '       parley site origins --site SITE_ID                      (the origins allowed to embed the site)\n' +
  '       parley site allow-origin --site SITE_ID ORIGIN          (e.g. https://news.example.com)\n' +
  '       parley site disallow-origin --site SITE_ID ORIGIN\n' +
  WEBHOOK_USAGE;

export async function run(args: string[]): Promise<number> {
  if (args[0] === 'webhook') return runWebhook(args.slice(1));
  const { flags, words } = parseArgs(args);
  const [action, origin] = words;
  const siteId = flags.get('site');
  const needsSite = action === 'origins' || action === 'allow-origin' || action === 'disallow-origin';
  const needsOrigin = action === 'allow-origin' || action === 'disallow-origin';
  if (!(action === 'list' || needsSite) || (needsSite && !siteId) || (needsOrigin && !origin)) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withStorage(async (storage) => {
    const sites = new SiteService(storage);
    if (action === 'list') {
      for (const site of await sites.all()) {
        const origins = await sites.origins(null, site.id);
        process.stdout.write(`${site.id}\t${site.name}\t${origins.join(' ') || '(no allowed origins)'}\n`);
      }
      return 0;
    }
    if (action === 'origins') {
      for (const o of await sites.origins(null, siteId!)) process.stdout.write(`${o}\n`);
      return 0;
    }
    if (action === 'allow-origin') {
      const stored = await sites.allowOrigin(null, siteId!, origin!);
      process.stdout.write(`site ${siteId} now allows ${stored}\n`);
      return 0;
    }
    const removed = await sites.disallowOrigin(null, siteId!, origin!);
    process.stdout.write(removed ? `site ${siteId} no longer allows ${origin}\n` : `site ${siteId} did not allow ${origin}\n`);
    return 0;
  });
}
