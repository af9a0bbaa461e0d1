import { readFileSync } from 'node:fs';
import { SiteService } from '../core/sites.js';
import { IdentityService } from '../core/identity.js';
import { OidcService } from '../core/oidc.js';
import { parseArgs } from './args.js';
import { withStorage } from './storage.js';
import { WEBHOOK_USAGE, runWebhook } from './webhook.js';

const USAGE =
  'usage: parley site list                                        (each site: id, name, allowed origins)\n' +
  '       parley site origins --site SITE_ID                      (the origins allowed to embed the site)\n' +
  '       parley site allow-origin --site SITE_ID ORIGIN          (e.g. https://news.example.com)\n' +
  '       parley site disallow-origin --site SITE_ID ORIGIN\n' +
  '       parley site sso --site SITE_ID --hs256-secret SECRET    (host sign-on with a shared secret, 32 bytes or more)\n' +
  '       parley site sso --site SITE_ID --public-key FILE        (host sign-on with an RSA or Ed25519 public key, PEM)\n' +
  '       parley site sso --site SITE_ID                          (which kind of key the site has; never the key)\n' +
  '       parley site oidc add --site SITE_ID --name NAME --issuer URL --client-id ID --client-secret SECRET\n' +
  '       parley site oidc list --site SITE_ID                    (name, issuer, client id; never the secret)\n' +
  '       parley site oidc remove --site SITE_ID --name NAME\n' +
  '       parley site guests --site SITE_ID off|premoderate|stricter   (comments without an account; off by default)\n' +
  WEBHOOK_USAGE;

export async function run(args: string[]): Promise<number> {
  if (args[0] === 'webhook') return runWebhook(args.slice(1));
  const { flags, words } = parseArgs(args);
  const [action, origin] = words;
  const siteId = flags.get('site');
  const needsSite = ['origins', 'allow-origin', 'disallow-origin', 'sso', 'oidc', 'guests'].includes(action ?? '');
  const needsOrigin = action === 'allow-origin' || action === 'disallow-origin';
  if (!(action === 'list' || needsSite) || (needsSite && !siteId) || (needsOrigin && !origin)) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withStorage(async (storage) => {
    const sites = new SiteService(storage);
    if (action === 'sso') return ssoCommand(new IdentityService(storage), siteId!, flags);
    if (action === 'guests') {
      if (origin !== 'off' && origin !== 'premoderate' && origin !== 'stricter') {
        process.stderr.write(USAGE);
        return 2;
      }
      await sites.setGuestMode(null, siteId!, origin);
      process.stdout.write(`site ${siteId} now takes guests' comments: ${origin}\n`);
      return 0;
    }
    if (action === 'oidc') return oidcCommand(new OidcService(storage, new IdentityService(storage)), siteId!, origin, flags);
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

/** Sets a site's sign-on key, or says which kind it has; the key itself is never printed. */
async function ssoCommand(identity: IdentityService, siteId: string, flags: Map<string, string>): Promise<number> {
  const secret = flags.get('hs256-secret');
  const keyFile = flags.get('public-key');
  if (secret && keyFile) {
    process.stderr.write('give either --hs256-secret or --public-key, not both\n');
    return 2;
  }
  if (!secret && !keyFile) {
    const algorithm = await identity.ssoAlgorithm(siteId);
    process.stdout.write(algorithm ? `site ${siteId} accepts sign-on tokens signed with ${algorithm}\n` : `site ${siteId} has no host sign-on\n`);
    return 0;
  }
  const algorithm = await identity.configureSso(siteId, secret ? { hs256Secret: secret } : { publicKeyPem: readFileSync(keyFile!, 'utf8') });
  process.stdout.write(`site ${siteId} now accepts sign-on tokens signed with ${algorithm} (aud = ${siteId})\n`);
  return 0;
}

/** A site's OpenID Connect providers: add (or replace), list, remove. The client secret is never printed. */
async function oidcCommand(oidc: OidcService, siteId: string, verb: string | undefined, flags: Map<string, string>): Promise<number> {
  const name = flags.get('name');
  if (verb === 'list') {
    for (const p of await oidc.list(siteId)) process.stdout.write(`${p.name}\t${p.issuer}\t${p.clientId}\n`);
    return 0;
  }
  if (verb === 'add' && name && flags.get('issuer') && flags.get('client-id') && flags.get('client-secret')) {
    await oidc.add(siteId, { name, issuer: flags.get('issuer')!, clientId: flags.get('client-id')!, clientSecret: flags.get('client-secret')! });
    process.stdout.write(`site ${siteId} offers sign-in with ${name}; register the redirect URI https://PARLEY_HOST/auth/oidc/${name}/callback at the provider\n`);
    return 0;
  }
  if (verb === 'remove' && name) {
    const removed = await oidc.remove(siteId, name);
    process.stdout.write(removed ? `site ${siteId} no longer offers ${name}\n` : `site ${siteId} had no provider ${name}\n`);
    return 0;
  }
  process.stderr.write(USAGE);
  return 2;
}
