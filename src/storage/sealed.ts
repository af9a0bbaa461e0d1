// Secrets Parley must read back to use them (a site's HS256 sign-on secret, an OpenID client secret) are stored
// sealed: AES-256-GCM with a key derived (HKDF-SHA256) from an install secret, and bound to the row they belong to,
// so a copy of those tables alone (an export, a leaked query, a table restored elsewhere) does not reveal them and a
// sealed value moved to another row does not open. The install secret is in the same database: a full copy of it
// opens them, as it would let anyone sign in anyway.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { installSecret } from './guests.js';

const PREFIX = 'sealed:v1:';

/** The key that seals secrets at rest, derived from the install secret "sealing" (made at first use). */
export async function sealingKey(db: Kysely<Database>): Promise<Buffer> {
  return Buffer.from(hkdfSync('sha256', await installSecret(db, 'sealing'), 'parley', 'secrets at rest v1', 32));
}

/** `plain` sealed for the row named by `context` (e.g. "sso:SITE"). */
export function seal(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

/** Opens a sealed value of this row; throws when it was altered or belongs to another row or install. */
export function unseal(key: Buffer, stored: string, context: string): string {
  if (!isSealed(stored)) throw new Error(`a secret of ${context} is stored unsealed (run the migrations)`);
  const bytes = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(Buffer.from(context));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}

export const ssoContext = (siteId: string) => `sso:${siteId}`;
export const oidcContext = (siteId: string, name: string) => `oidc:${siteId}:${name}`;

/** Seals the secrets stored before sealing existed (migration 0018); returns how many it sealed. */
export async function sealPlainSecrets(db: Kysely<Database>): Promise<number> {
  let key: Buffer | undefined;
  let sealed = 0;
  for (const row of await db.selectFrom('site_sso_keys').select(['site_id', 'key_material']).where('algorithm', '=', 'HS256').execute()) {
    if (isSealed(row.key_material)) continue;
    await db.updateTable('site_sso_keys').set({ key_material: seal((key ??= await sealingKey(db)), row.key_material, ssoContext(row.site_id)) }).where('site_id', '=', row.site_id).execute();
    sealed++;
  }
  for (const row of await db.selectFrom('site_oidc_providers').select(['site_id', 'name', 'client_secret']).execute()) {
    if (isSealed(row.client_secret)) continue;
    const client_secret = seal((key ??= await sealingKey(db)), row.client_secret, oidcContext(row.site_id, row.name));
    await db.updateTable('site_oidc_providers').set({ client_secret }).where('site_id', '=', row.site_id).where('name', '=', row.name).execute();
    sealed++;
  }
  return sealed;
}
