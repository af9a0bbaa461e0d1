import { after, before, describe } from 'node:test';
import { DIALECTS } from './databases.js';
import { startTestApp, type TestApp, type TestAppOptions } from './app.js';

/** Runs the same suite against a fresh app on SQLite and on PostgreSQL. */
export function onEachDatabase(name: string, define: (t: () => TestApp) => void, options: TestAppOptions = {}): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let app: TestApp | undefined;
      before(async () => {
        app = await startTestApp(dialect, options);
      });
      after(async () => {
        await app?.close();
      });
      define(() => {
        if (!app) throw new Error('the test app did not start');
        return app;
      });
    });
  }
}
