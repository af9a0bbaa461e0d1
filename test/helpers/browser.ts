// Debian's Chromium driven by playwright-core, against a Parley server listening on a loopback port.
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import type { Dialect } from '../../src/storage/db.js';
import { startTestApp, type Agent, type TestApp, type TestAppOptions } from './app.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** @param extraArgs more Chromium switches, e.g. --test-third-party-cookie-phaseout (third-party cookies blocked) */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

export interface LiveServer {
  t: TestApp;
  baseUrl: string;
}

export async function startLiveServer(dialect: Dialect = 'sqlite', options: TestAppOptions = {}): Promise<LiveServer> {
  const t = await startTestApp(dialect, options);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return { t, baseUrl: `http://127.0.0.1:${port}` };
}

/** Starts Chromium and a live server before the file's tests and stops both after them. */
export function useBrowserAndServer(dialect: Dialect = 'sqlite', options: TestAppOptions = {}): { browser(): Browser; server(): LiveServer } {
  let browser: Browser | undefined;
  let server: LiveServer | undefined;
  before(async () => {
    // Both are kept when only one starts, so that `after` closes it: a live server left open keeps the run alive.
    const [launched, started] = await Promise.allSettled([launchBrowser(), startLiveServer(dialect, options)]);
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'rejected') throw launched.reason;
    if (started.status === 'rejected') throw started.reason;
  });
  after(async () => {
    await browser?.close();
    await server?.t.close();
  });
  return {
    browser: () => browser ?? assertStarted(),
    server: () => server ?? assertStarted(),
  };
}

function assertStarted(): never {
  throw new Error('the browser or the server did not start');
}

/** A browser context signed in as the agent, through its session cookie. */
export async function signedInContext(browser: Browser, baseUrl: string, agent: Agent): Promise<BrowserContext> {
  const context = await browser.newContext();
  const { hostname } = new URL(baseUrl);
  await context.addCookies(
    agent.cookie.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: hostname, path: '/' };
    }),
  );
  return context;
}
