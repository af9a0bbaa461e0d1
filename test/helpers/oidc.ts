// A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1 for the tests, with its own plain login
// form in place of its development interactions, and a browser stand-in that follows redirects with a cookie jar
// and submits that form over plain HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  name?: string;
  email?: string;
  email_verified?: boolean;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The people who may sign in, by subject; change them between sign-ins (a rename). */
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

/** Starts a provider that knows one client, whose redirect URIs are these. */
export async function startOidcProvider(redirectUris: string[]): Promise<TestProvider> {
  const accounts = new Map<string, TestAccount>();
  let provider: { callback(): (req: unknown, res: unknown) => void; interactionDetails(req: unknown, res: unknown): Promise<{ uid: string }>; interactionFinished(req: unknown, res: unknown, result: object, options: object): Promise<void> };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!interaction) return provider.callback()(req, res);
    void (async () => {
      if (req.method === 'GET') {
        const details = await provider.interactionDetails(req, res);
        res.writeHead(200, { 'content-type': 'text/html' }).end(
          `<form method="post" action="/interaction/${details.uid}/login"><input name="login"><button>Sign in</button></form>`,
        );
        return;
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const login = new URLSearchParams(body).get('login') ?? '';
      if (!accounts.has(login)) return void res.writeHead(403).end('unknown account');
      await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    })().catch((error: Error) => res.writeHead(500).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'parley-test-client';
  const clientSecret = 'parley-test-client-secret-long-enough';
  provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, response_types: ['code'], grant_types: ['authorization_code'] }],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    cookies: { keys: ['a-cookie-key-for-the-test-provider'] },
    findAccount: async (_ctx: unknown, sub: string) =>
      accounts.has(sub) ? { accountId: sub, claims: async () => ({ sub, ...accounts.get(sub) }) } : undefined,
    // No consent screen: the test client is granted what it asks for (oidc-provider's documented recipe).
    async loadExistingGrant(ctx: { oidc: { client: { clientId: string }; session: { accountId: string; grantIdFor(id: string): string | undefined }; result?: { consent?: { grantId?: string } }; provider: { Grant: { new (init: object): { addOIDCScope(s: string): void; save(): Promise<string> }; find(id: string): Promise<unknown> } } } }) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
  });
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser stand-in: fetches with a cookie jar per host and follows redirects while they stay on `within`. */
export class HttpBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  private cookies(url: URL): string {
    return [...(this.jars.get(url.host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(url: URL, response: Response): void {
    const jar = this.jars.get(url.host) ?? new Map<string, string>();
    this.jars.set(url.host, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const value = pair!.slice(at + 1);
      if (value) jar.set(pair!.slice(0, at), value);
      else jar.delete(pair!.slice(0, at));
    }
  }

  /**
   * Requests a URL and follows redirects on the same origin; answers the last response's status, body and the
   * redirect that left the origin (the provider sending the reader back), if any.
   */
  async visit(start: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ status: number; body: string; leftTo: string | null }> {
    let url = new URL(start);
    let request: RequestInit = init.form
      ? { method: 'POST', body: new URLSearchParams(init.form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
      : { method: init.method ?? 'GET' };
    for (let hops = 0; hops < 10; hops++) {
      const response = await fetch(url, { ...request, redirect: 'manual', headers: { ...(request.headers as Record<string, string>), cookie: this.cookies(url) } });
      this.keep(url, response);
      const location = response.headers.get('location');
      if (!location || response.status < 300 || response.status >= 400) return { status: response.status, body: await response.text(), leftTo: null };
      const next = new URL(location, url);
      if (next.origin !== url.origin) return { status: response.status, body: '', leftTo: next.href };
      url = next;
      request = { method: 'GET' };
    }
    throw new Error('too many redirects');
  }
}
