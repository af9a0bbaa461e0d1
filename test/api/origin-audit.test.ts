// Changing a site's allowed embed origins through the API is written to the audit log (who, before, after) and
// shows in the console's audit page; a request that changes nothing writes nothing. On SQLite and PostgreSQL.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';

onEachDatabase('allowed origins in the audit log', (t) => {
  it('records who changed the list, and how', async () => {
    const app = t();
    const admin = await app.agent('admin');
    const put = (origins: string[]) => app.request('PUT', `/api/sites/${app.siteId}/origins`, { as: admin, body: { origins } });
    assert.equal((await put(['https://news.example.com'])).statusCode, 200);
    assert.equal((await put(['https://news.example.com'])).statusCode, 200, 'the same list again');
    assert.equal((await put(['https://news.example.com', 'https://staging.example.com'])).statusCode, 200);
    const audit = await app.request('GET', '/api/moderation/audit', { as: admin });
    assert.equal(audit.statusCode, 200);
    const entries = (audit.json().entries as Array<{ action: string; actor: { username: string }; target: { type: string; id: string } }>).filter(
      (e) => e.action === 'site.origins',
    );
    assert.deepEqual(
      entries.map((e) => [e.actor.username, e.target.type, e.target.id]),
      [
        [admin.username, 'site', app.siteId],
        [admin.username, 'site', app.siteId],
      ],
      'two changes, newest first; the repeat changed nothing',
    );
    const rows = await app.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'site.origins').orderBy('created_at').orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [JSON.parse(r.before_json!).origins, JSON.parse(r.after_json!).origins]),
      [
        [[], ['https://news.example.com']],
        [['https://news.example.com'], ['https://news.example.com', 'https://staging.example.com']],
      ],
    );
  });
});
