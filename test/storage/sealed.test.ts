// Secrets Parley reads back (a site's HS256 sign-on secret, an OpenID client secret) are stored sealed, on SQLite
// and PostgreSQL: the tables never hold them in the clear, a sealed value moved to another row does not open, and
// the migration seals the ones stored before. Signing in with them is tested in test/api/sso.test.ts and oidc.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { insertSite } from '../../src/storage/sites.js';
import { findOidcProvider, findSsoKey, setSsoKey, upsertOidcProvider } from '../../src/storage/identities.js';
import { isSealed, sealPlainSecrets } from '../../src/storage/sealed.js';

const SSO_SECRET = 'the-gazette-sso-secret-of-32-bytes-or-more';
const CLIENT_SECRET = 'the-oidc-client-secret';

for (const dialect of DIALECTS) {
  describe(`secrets at rest [${dialect}]`, () => {
    let database: TestDatabase;
    const db = () => database.storage.db;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database?.drop());

    const site = async (name: string) => (await insertSite(db(), name, '{}')).id;
    const provider = (siteId: string) => ({ site_id: siteId, name: 'newsroom', issuer: 'https://id.example.com', client_id: 'parley', client_secret: CLIENT_SECRET, created_at: Date.now() });
    const storedSso = async (siteId: string) =>
      (await db().selectFrom('site_sso_keys').select('key_material').where('site_id', '=', siteId).executeTakeFirstOrThrow()).key_material;
    const stored = async (siteId: string) => ({
      sso: await storedSso(siteId),
      oidc: (await db().selectFrom('site_oidc_providers').select('client_secret').where('site_id', '=', siteId).executeTakeFirstOrThrow()).client_secret,
    });

    it('stores an HS256 secret and a client secret sealed, and reads them back', async () => {
      const siteId = await site('Sealed');
      await setSsoKey(db(), siteId, { algorithm: 'HS256', key_material: SSO_SECRET });
      await upsertOidcProvider(db(), provider(siteId));
      const rows = await stored(siteId);
      for (const value of [rows.sso, rows.oidc]) assert.ok(isSealed(value), value);
      assert.ok(!rows.sso.includes(SSO_SECRET) && !rows.oidc.includes(CLIENT_SECRET));
      assert.equal((await findSsoKey(db(), siteId))?.key_material, SSO_SECRET);
      assert.equal((await findOidcProvider(db(), siteId, 'newsroom'))?.client_secret, CLIENT_SECRET);
    });

    it('does not open a sealed secret moved to another site', async () => {
      const [a, b] = [await site('A'), await site('B')];
      await setSsoKey(db(), a, { algorithm: 'HS256', key_material: SSO_SECRET });
      await setSsoKey(db(), b, { algorithm: 'HS256', key_material: 'another-secret-of-thirty-two-bytes-long' });
      await db().updateTable('site_sso_keys').set({ key_material: await storedSso(a) }).where('site_id', '=', b).execute();
      await assert.rejects(findSsoKey(db(), b));
    });

    it('seals, in the migration, the secrets stored before sealing existed', async () => {
      const siteId = await site('Before');
      await setSsoKey(db(), siteId, { algorithm: 'HS256', key_material: SSO_SECRET });
      await upsertOidcProvider(db(), provider(siteId));
      // As an older Parley left them.
      await db().updateTable('site_sso_keys').set({ key_material: SSO_SECRET }).where('site_id', '=', siteId).execute();
      await db().updateTable('site_oidc_providers').set({ client_secret: CLIENT_SECRET }).where('site_id', '=', siteId).execute();
      assert.equal(await sealPlainSecrets(db()), 2);
      const rows = await stored(siteId);
      assert.ok(isSealed(rows.sso) && isSealed(rows.oidc));
      assert.equal((await findSsoKey(db(), siteId))?.key_material, SSO_SECRET);
      assert.equal((await findOidcProvider(db(), siteId, 'newsroom'))?.client_secret, CLIENT_SECRET);
      assert.equal(await sealPlainSecrets(db()), 0, 'a second run changes nothing');
    });
  });
}
