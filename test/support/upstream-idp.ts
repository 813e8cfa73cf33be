import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KoaContextWithOIDC } from 'oidc-provider';

export interface UpstreamAccount {
  sub: string;
  claims: Record<string, unknown>;
}

/**
 * A provincial identity provider for tests: a real oidc-provider on an ephemeral loopback port,
 * with one confidential client (Tongfa) and an interaction step that signs in whichever account
 * the test chose with `signInAs` (the IdP's own login page is not what is under test).
 */
export class UpstreamIdp {
  private next: UpstreamAccount | null = null;
  private readonly accounts = new Map<string, UpstreamAccount>();

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  static async start(client: { clientId: string; clientSecret: string; redirectUri: string }): Promise<UpstreamIdp> {
    const { default: Provider } = await import('oidc-provider');
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Filled in below: the provider's callbacks need the instance that wraps the provider.
    const ref: { idp?: UpstreamIdp } = {};
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uris: [client.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'], org: ['org_credit_code', 'groups'] },
      scopes: ['openid', 'profile', 'org'],
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      cookies: { keys: ['upstream-idp-test-cookie-key'] },
      features: { devInteractions: { enabled: false } },
      ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Grant: 600, Session: 600 },
      findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
        const a = ref.idp!.accounts.get(sub);
        return a ? { accountId: sub, claims: () => ({ sub, ...a.claims }) } : undefined;
      },
      // Every client here is first-party: grant what was asked for without a consent step.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
        grant.addOIDCScope([...(ctx.oidc.requestParamScopes as Set<string>)].join(' '));
        await grant.save();
        return grant;
      },
      interactions: { url: (_ctx: KoaContextWithOIDC, i: { uid: string }) => `/interaction/${i.uid}` },
      renderError: (ctx: KoaContextWithOIDC, out: { error?: string }) => {
        ctx.body = { error: out.error };
      },
    });
    const callback = provider.callback();
    server.on('request', (req, res) => {
      const m = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
      if (!m) return callback(req, res);
      void (async () => {
        const account = ref.idp!.next;
        if (!account) throw new Error('UpstreamIdp: call signInAs first');
        ref.idp!.accounts.set(account.sub, account);
        await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
      })().catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
    ref.idp = new UpstreamIdp(server, issuer);
    return ref.idp;
  }

  /** The account the next sign-in at this IdP authenticates as. */
  signInAs(account: UpstreamAccount): void {
    this.next = account;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A minimal cookie jar for driving redirects by hand (one host at a time; paths ignored). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(setCookie: string[] | undefined): void {
    for (const c of setCookie ?? []) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Follows redirects with fetch, one hop at a time, until a Location matches `stop`; returns that URL. */
export async function followRedirects(start: string, jar: CookieJar, stop: (url: URL) => boolean, maxHops = 10): Promise<URL> {
  let url = new URL(start);
  for (let hop = 0; hop < maxHops; hop++) {
    if (stop(url)) return url;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(), accept: 'text/html' } });
    jar.store(res.headers.getSetCookie());
    const location = res.headers.get('location');
    if (!location) throw new Error(`no redirect from ${url.pathname}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url);
  }
  throw new Error(`too many redirects from ${start}`);
}
