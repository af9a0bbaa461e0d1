import { it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp } from '../helpers/app.js';

for (const dialect of DIALECTS) {
  it(`reports liveness, readiness and health, and 503 while draining or once the database is gone [${dialect}]`, async () => {
    const t = await startTestApp(dialect);
    try {
      const ok = await t.request('GET', '/healthz');
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { status: 'ok', database: dialect });
      assert.deepEqual((await t.request('GET', '/livez')).json(), { status: 'alive' });
      const ready = await t.request('GET', '/readyz');
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ready', database: true, classifier: 'off', draining: false });
      t.context.lifecycle.draining = true;
      const draining = await t.request('GET', '/readyz');
      assert.equal(draining.statusCode, 503);
      assert.equal(draining.headers['retry-after'], '5');
      assert.deepEqual(draining.json(), { status: 'unavailable', database: true, classifier: 'off', draining: true });
      t.context.lifecycle.draining = false;
      await t.context.storage.close();
      const noDatabase = await t.request('GET', '/readyz');
      assert.equal(noDatabase.statusCode, 503);
      assert.equal(noDatabase.json().database, false);
      assert.equal((await t.request('GET', '/livez')).statusCode, 200, 'the process itself is alive');
      const down = await t.request('GET', '/healthz');
      assert.equal(down.statusCode, 503);
      assert.deepEqual(down.json(), { status: 'unavailable', database: dialect });
    } finally {
      await t.app.close();
      await t.database.drop();
    }
  });
}
