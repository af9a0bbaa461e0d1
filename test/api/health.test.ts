import { it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp } from '../helpers/app.js';

for (const dialect of DIALECTS) {
  it(`reports health, and 503 once the database is gone [${dialect}]`, async () => {
    const t = await startTestApp(dialect);
    try {
      const ok = await t.request('GET', '/healthz');
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { status: 'ok', database: dialect });
      await t.context.storage.close();
      const down = await t.request('GET', '/healthz');
      assert.equal(down.statusCode, 503);
      assert.deepEqual(down.json(), { status: 'unavailable', database: dialect });
    } finally {
      await t.app.close();
      await t.database.drop();
    }
  });
}
