import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { errorKind, isPluginError, type ConstraintIssue, type PluginErrorKind } from '../errors';
import {
  hostAllowed,
  isSdkCompatible,
  POST_KINDS,
  sdkIncompatibility,
  SDK_VERSION,
  validateManifest,
  type Constraints,
  type TextLimit,
} from '../manifest';
import type { WebhookContext } from '../context';
import type {
  AnyPlugin,
  AssetDescriptor,
  CommentPage,
  AccountCommentPage,
  ListedPost,
  ListPostsParams,
  ManuscriptInput,
  PostPage,
  RenderContext,
  Rendition,
  WebhookRequest,
  WebhookVerdict,
} from '../plugin';
import { countWith } from '../text';
import { SandboxClient } from './sandbox-client';
import { startSimulators, type FaultKind, type RunningSimulators, type Simulator, type WebhookPush } from './simulator-harness';
import { createTestHost, pollUntil, type TestHost } from './test-host';
import { memoryVideos, SAMPLE_VIDEO_REF, sampleVideo, withSampleVideo } from './videos';

/** Options of describeConformance. */
export interface ConformanceOptions {
  /**
   * A manuscript the platform accepts, for the publish tests (default: sampleManuscript(), with the
   * sample video attached when the manifest declares the `video` capability).
   */
  sample?: ManuscriptInput;
  /**
   * The videos `ctx.videos` serves during publish calls, by ref (default: the sample video under
   * SAMPLE_VIDEO_REF). Give your own when your sample's video has another ref or size.
   */
  videos?: Record<string, Uint8Array>;
  renderContext?: Partial<RenderContext>;
  /** Runs per property (default 50). */
  numRuns?: number;
  /** fast-check seed, to replay a failure. */
  seed?: number;
  /** HTTP timeout the test host gives the plugin (default 3000 ms). */
  timeoutMs?: number;
  /** Delay of the `slow` fault (default 1200 ms; must exceed slowTimeoutMs). */
  slowMs?: number;
  /** Client timeout used against the `slow` fault (default 300 ms). */
  slowTimeoutMs?: number;
  settings?: Record<string, string | number | boolean>;
}

/** A manuscript that any platform should accept: short title, a few paragraphs, one cover and one image. */
export function sampleManuscript(overrides: Partial<ManuscriptInput> = {}): ManuscriptInput {
  return {
    manuscriptId: 'ms-1',
    versionId: 'v-1',
    title: '我市召开防汛工作部署会',
    summary: '会议部署了今年汛期各项防汛工作。',
    bodyHtml: '<p>7月1日，我市召开防汛工作部署会议。</p><p>会议要求各单位压实责任，做好24小时值班值守。</p>',
    category: 'news',
    source: { type: 'original' },
    unitName: '某市应急管理局',
    cover: { ref: 'asset-cover', width: 1200, height: 800, bytes: 300_000, format: 'jpeg', focus: { x: 0.5, y: 0.4 } },
    images: [{ ref: 'asset-1', width: 1600, height: 1200, bytes: 800_000, format: 'jpeg' }],
    ...overrides,
  };
}

const tricky = ['😀', '👨‍👩‍👧‍👦', '🇨🇳', '👍🏽', 'é', '，', '。', '“', '”', '\u3000', '𠀀', '&', '<', '>', ' ', '\n'];

/** One character drawn from CJK, ASCII and tricky code points (emoji sequences, flags, astral CJK). */
export const charArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)) },
  { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom(...tricky) },
);

/** Text from charArbitrary, from empty to about `maxLength` UTF-16 units; long targets are built by repetition to stay fast. */
export function textArbitrary(maxLength: number): fc.Arbitrary<string> {
  const chunk = fc.array(charArbitrary, { minLength: 1, maxLength: Math.min(200, Math.max(1, maxLength)) }).map((a) => a.join(''));
  return fc.tuple(chunk, fc.integer({ min: 0, max: Math.max(0, maxLength) })).map(([c, target]) => {
    let s = '';
    while (s.length < target) s += c;
    return s.slice(0, target).replace(/[\uD800-\uDBFF]$/, '');
  });
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function assetArbitrary(ref: string): fc.Arbitrary<AssetDescriptor> {
  return fc.record(
    {
      ref: fc.constant(ref),
      width: fc.integer({ min: 50, max: 6000 }),
      height: fc.integer({ min: 50, max: 6000 }),
      bytes: fc.integer({ min: 1000, max: 30_000_000 }),
      format: fc.constantFrom('jpeg', 'png', 'webp', 'gif'),
      focus: fc.option(
        fc.record(
          { x: fc.double({ min: 0, max: 1, noNaN: true }), y: fc.double({ min: 0, max: 1, noNaN: true }) },
          { noNullPrototype: true },
        ),
        {
          nil: undefined,
        },
      ),
    },
    { noNullPrototype: true },
  );
}

const maxOf = (l: TextLimit | undefined, fallback: number) => Math.ceil((l?.max ?? fallback) * 1.6) + 5;

/** Random manuscripts shaped to cross every limit in `constraints`. */
export function manuscriptArbitrary(constraints: Constraints): fc.Arbitrary<ManuscriptInput> {
  const imageMax = (constraints.images?.maxCount ?? 3) + 2;
  return fc
    .record(
      {
        title: textArbitrary(maxOf(constraints.title, 40)),
        summary: textArbitrary(maxOf(constraints.summary, 120)),
        paragraphs: fc.array(textArbitrary(Math.ceil(maxOf(constraints.body, 2000) / 3)), { minLength: 0, maxLength: 4 }),
        category: fc.constantFrom('policy', 'news', 'notice', 'emergency', 'reprint' as const),
        cover: fc.option(assetArbitrary('cover'), { nil: undefined }),
        imageCount: fc.integer({ min: 0, max: imageMax }),
        images: fc.array(assetArbitrary('img'), { minLength: imageMax, maxLength: imageMax }),
      },
      { noNullPrototype: true },
    )
    .map((r) => ({
      manuscriptId: 'ms-prop',
      versionId: 'v-prop',
      title: r.title,
      summary: r.summary,
      bodyHtml: r.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''),
      category: r.category,
      source:
        r.category === 'reprint'
          ? { type: 'reprint' as const, unitName: '新华社', url: 'https://www.news.cn/' }
          : { type: 'original' as const },
      cover: r.cover,
      images: r.images.slice(0, r.imageCount).map((a, i) => ({ ...a, ref: `img-${i}` })),
    }));
}

/** Paths in `value` that JSON cannot carry faithfully (functions, class instances, NaN, bigint, …). */
export function jsonProblems(value: unknown, path = 'rendition'): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || value === undefined) return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} is ${value}`];
  if (typeof value !== 'object') return [`${path} is a ${typeof value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonProblems(v, `${path}[${i}]`));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return [`${path} is a ${(value as object).constructor?.name ?? 'class instance'}`];
  return Object.entries(value).flatMap(([k, v]) => jsonProblems(v, `${path}.${k}`));
}

const issueNames = (issues: ConstraintIssue[]) => issues.map((i) => i.constraint);
const names = (r: Rendition) => [...issueNames(r.violations)];

/** Calls render with fetch, Math.random and Date.now disabled, so impurity fails loudly. */
function renderPurely(plugin: AnyPlugin, input: ManuscriptInput, ctx: RenderContext): Rendition {
  const saved = { fetch: globalThis.fetch, random: Math.random, now: Date.now };
  const forbid = (what: string) => () => {
    throw new Error(`render() must be pure but called ${what}`);
  };
  globalThis.fetch = forbid('fetch') as typeof fetch;
  Math.random = forbid('Math.random');
  Date.now = forbid('Date.now');
  try {
    return plugin.render(input, ctx);
  } finally {
    globalThis.fetch = saved.fetch;
    Math.random = saved.random;
    Date.now = saved.now;
  }
}

/** Checks a rendition against the manifest constraints; returns the problems found (empty when it conforms). */
export function checkRendition(constraints: Constraints, input: ManuscriptInput, r: Rendition): string[] {
  const problems: string[] = [];
  const violated = names(r);
  const names_ = (field: string) => violated.some((v) => v === field || v.startsWith(`${field}.`) || v.startsWith(`${field}[`));
  for (const field of ['title', 'body', 'summary'] as const) {
    const limit = constraints[field];
    const text = r.fields[field];
    if (!limit || text === undefined) continue;
    const n = countWith(limit.counter, text, { urlLength: limit.urlLength });
    if (n > limit.max && !names_(field))
      problems.push(`${field} counts ${n} > max ${limit.max} (${limit.counter}) without a violation naming ${field}`);
    if (limit.min !== undefined && n < limit.min && !names_(field))
      problems.push(`${field} counts ${n} < min ${limit.min} without a violation naming ${field}`);
  }
  const refs = new Set([input.cover?.ref, ...input.images.map((i) => i.ref)].filter(Boolean));
  for (const a of r.assets) {
    if (!refs.has(a.ref)) problems.push(`asset ${a.key} refers to unknown ref ${a.ref}`);
    const c = a.role === 'cover' ? constraints.cover : constraints.images;
    if (!c) {
      problems.push(
        `asset ${a.key} has role ${a.role} but the manifest declares no ${a.role === 'cover' ? 'cover' : 'images'} constraints`,
      );
      continue;
    }
    if (!(c.formats as string[]).includes(a.spec.format))
      problems.push(`asset ${a.key} format ${a.spec.format} not in ${c.formats.join(',')}`);
    if (a.spec.maxBytes === undefined || a.spec.maxBytes > c.maxBytes)
      problems.push(`asset ${a.key} maxBytes ${a.spec.maxBytes} exceeds ${c.maxBytes}`);
    if (c.maxWidth && (!a.spec.maxWidth || a.spec.maxWidth > c.maxWidth))
      problems.push(`asset ${a.key} maxWidth not bounded by ${c.maxWidth}`);
    if (c.maxHeight && (!a.spec.maxHeight || a.spec.maxHeight > c.maxHeight))
      problems.push(`asset ${a.key} maxHeight not bounded by ${c.maxHeight}`);
  }
  if (constraints.images) {
    const n = r.assets.filter((a) => a.role === 'image').length;
    if (n > constraints.images.maxCount && !names_('images'))
      problems.push(`${n} images > maxCount ${constraints.images.maxCount} without a violation`);
    if (constraints.images.minCount && input.images.length < constraints.images.minCount && !names_('images')) {
      problems.push(`fewer images than minCount ${constraints.images.minCount} without a violation`);
    }
  }
  if (constraints.cover?.required && !input.cover && !names_('cover'))
    problems.push('cover is required but missing without a violation naming cover');
  const roots = new Set([...Object.keys(constraints), 'content', 'category', 'source']);
  for (const i of [...r.violations, ...r.warnings]) {
    const root = i.constraint.split(/[.[]/)[0];
    if (!roots.has(root)) problems.push(`issue names "${i.constraint}", which is not a declared constraint`);
    if (!i.message) problems.push(`issue ${i.constraint} has no message`);
  }
  return problems;
}

async function expectKind(p: Promise<unknown>, kinds: PluginErrorKind[], secrets: string[]): Promise<unknown> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected a ${kinds.join(' or ')} error, but the call succeeded`);
  assert.ok(
    isPluginError(caught),
    `expected a typed plugin error (${kinds.join(' or ')}), got: ${String((caught as Error)?.stack ?? caught)}`,
  );
  assert.ok(kinds.includes(errorKind(caught)!), `expected ${kinds.join(' or ')}, got ${errorKind(caught)}: ${(caught as Error).message}`);
  const msg = String((caught as Error).message);
  for (const s of secrets) assert.ok(!msg.includes(s), 'error message leaks a credential secret');
  return caught;
}

/**
 * Registers the node:test suites every plugin must pass, against its simulator:
 * manifest validity, render purity and constraints (property-based), publish happy path, each fault kind
 * mapped to its typed error, token refresh, lost responses resolved by findExisting without duplicates,
 * and retract / metrics / comments when declared. Call it at the top level of a test file.
 */
export function describeConformance(
  plugin: AnyPlugin,
  simulatorFactory: () => Simulator | Simulator[],
  options: ConformanceOptions = {},
): void {
  const m = plugin.manifest;
  const platform = m.id;
  const declaresVideo = plugin.manifest.capabilities.includes('video');
  const sample = options.sample ?? (declaresVideo ? withSampleVideo(sampleManuscript()) : sampleManuscript());
  const videoFiles = options.videos ?? { [SAMPLE_VIDEO_REF]: sampleVideo() };
  const renderCtx: RenderContext = { account: { name: '测试账号' }, settings: options.settings ?? {}, ...options.renderContext };
  const numRuns = options.numRuns ?? 50;
  const has = (c: string) => (m.capabilities as string[]).includes(c);

  describe(`conformance: ${platform}`, { concurrency: false }, () => {
    let running: RunningSimulators;
    let sandbox: SandboxClient;
    let sim: Simulator;
    let accountNo = 0;

    before(async () => {
      const made = simulatorFactory();
      running = await startSimulators(Array.isArray(made) ? made : [made]);
      sandbox = new SandboxClient(running.url);
      sim = running.get(platform);
    });
    after(async () => {
      await running?.close();
    });
    afterEach(async () => {
      await sandbox?.setFaults(platform, { rate: 0, kinds: [] });
    });

    async function freshHost(
      timeoutMs = options.timeoutMs ?? 3000,
    ): Promise<{ host: TestHost; account: { id: string; credentials: Record<string, string> }; secrets: string[] }> {
      const account = await sandbox.createAccount(platform, `一致性测试账号${++accountNo}`);
      const host = createTestHost({
        plugin,
        credentials: account.credentials,
        endpoints: sim.endpointsFor(running.url, Object.keys(m.endpoints ?? {})),
        settings: options.settings,
        // What the hub gives publish calls: ranged reads of the manuscript's video.
        videos: memoryVideos(videoFiles),
        timeoutMs,
        maxBackoffMs: 1500,
      });
      // Connecting an account ends with fresh access credentials, as the hub does after exchangeCode or on first use.
      await host.refresh();
      const secretNames = new Set(m.credentials.filter((f) => f.secret).map((f) => f.name));
      const secrets = Object.entries(account.credentials)
        .filter(([k, v]) => secretNames.has(k) && v.length >= 4)
        .map(([, v]) => v);
      return { host, account, secrets };
    }

    const rendition = () => {
      const r = plugin.render(sample, renderCtx);
      assert.deepEqual(
        r.violations,
        [],
        `the sample manuscript must render without violations (pass options.sample): ${JSON.stringify(r.violations)}`,
      );
      return r;
    };

    describe('manifest', () => {
      it('is valid', () => {
        const v = validateManifest(m);
        assert.ok(v.ok, v.ok ? '' : v.errors.join('\n'));
      });
      it(`supports this SDK (${SDK_VERSION})`, () => {
        assert.ok(isSdkCompatible(m), `manifest.sdk "${m.sdk}": ${JSON.stringify(sdkIncompatibility(m))}`);
      });
      it('declares rate limits above zero', () => {
        for (const r of [m.rateLimits.perApp, m.rateLimits.perAccount]) {
          assert.ok(r.tokens > 0 && r.intervalMs > 0, 'rate limits must be positive');
        }
      });
      it('declares endpoints, so the host can point it at a sandbox', () => {
        assert.ok(
          m.endpoints && Object.keys(m.endpoints).length > 0,
          'manifest.endpoints is empty: plugins must build URLs from ctx.endpoints',
        );
      });
    });

    if (m.auth.kind === 'oauth2') {
      describe('oauth2', () => {
        it('the authorize URL leads, through the simulator, back to the redirect URI with a code that exchangeCode trades for working credentials, once', async () => {
          const account = await sandbox.createAccount(platform, `授权测试账号${++accountNo}`);
          // What the hub holds before anyone has authorised: the app's own credentials only.
          const appFields = new Set(m.credentials.filter((f) => f.scope === 'app').map((f) => f.name));
          const host = createTestHost({
            plugin,
            credentials: Object.fromEntries(Object.entries(account.credentials).filter(([k]) => appFields.has(k))),
            endpoints: sim.endpointsFor(running.url, Object.keys(m.endpoints ?? {})),
            settings: options.settings,
          });
          // A loopback hub's callback: what simulators accept as a registered callback by default.
          const redirectUri = 'http://127.0.0.1:9/api/v1/accounts/oauth/callback';
          const state = `s-${accountNo}-${Date.now()}`;
          const url = new URL(await plugin.authorizeUrl!(host.context(), { state, redirectUri }));
          // The simulator's authorize page grants access for the account named here at once (the SDK's convention).
          url.searchParams.set('sandbox_account', account.id);
          const res = await fetch(url, { redirect: 'manual' });
          assert.equal(
            res.status,
            302,
            `GET ${url.pathname} must redirect back when sandbox_account names an account (see the README: OAuth2 simulators); got ${res.status}`,
          );
          const back = new URL(res.headers.get('location') ?? '');
          assert.equal(`${back.origin}${back.pathname}`, redirectUri, 'redirected somewhere other than the redirect URI');
          assert.equal(back.searchParams.get('state'), state, 'state must come back untouched');
          const code = back.searchParams.get('code');
          assert.ok(code, 'no code in the redirect');
          const update = await plugin.exchangeCode!(host.context(), { code, redirectUri });
          host.credentials = { ...host.credentials, ...update.credentials };
          const profile = await host.call((ctx) => plugin.getProfile(ctx));
          assert.ok(profile.platformAccountId, 'getProfile after exchangeCode names the platform account');
          const again = await plugin.exchangeCode!(host.context(), { code, redirectUri }).then(
            () => null,
            (e: unknown) => e,
          );
          assert.ok(again && isPluginError(again), 'a code used once must be refused the second time, as a typed error');
        });
      });
    }

    describe('render', () => {
      it('renders the sample manuscript without violations', () => {
        rendition();
      });
      it('is pure and deterministic (no fetch, clock or randomness; same input, same output; input untouched)', () => {
        fc.assert(
          fc.property(manuscriptArbitrary(m.constraints), (input) => {
            const before = structuredClone(input);
            const a = renderPurely(plugin, input, renderCtx);
            const b = renderPurely(plugin, structuredClone(input), renderCtx);
            assert.equal(JSON.stringify(input), JSON.stringify(before), 'render mutated its input');
            assert.equal(JSON.stringify(a), JSON.stringify(b), 'render gave different output for the same input');
          }),
          { numRuns: Math.ceil(numRuns / 2), seed: options.seed },
        );
      });
      it('respects every declared constraint, or names the one it cannot meet', () => {
        fc.assert(
          fc.property(manuscriptArbitrary(m.constraints), (input) => {
            const r = plugin.render(input, renderCtx);
            const problems = checkRendition(m.constraints, input, r);
            assert.deepEqual(problems, [], problems.join('\n'));
            const nonJson = jsonProblems(r);
            assert.deepEqual(nonJson, [], `rendition must be JSON-serialisable: ${nonJson.join('; ')}`);
          }),
          { numRuns, seed: options.seed },
        );
      });
    });

    describe('publish', () => {
      it('publishes once on the happy path', async () => {
        const { host, account } = await freshHost();
        const out = await host.publish(rendition());
        assert.equal(out.state, 'published', String((out.error as Error)?.message ?? ''));
        assert.ok(out.result?.remoteId, 'publish must return a remoteId');
        const posts = await sandbox.posts(platform, account.id);
        assert.equal(posts.length, 1, 'the simulator must show exactly one post');
        assert.equal(posts[0].deleted, false);
      });
      it('gets the account profile', async () => {
        const { host } = await freshHost();
        const p = await host.call((ctx) => plugin.getProfile(ctx));
        assert.ok(
          typeof p.platformAccountId === 'string' && p.platformAccountId.length > 0,
          'platformAccountId must be a non-empty string',
        );
        assert.ok(typeof p.name === 'string' && p.name.length > 0, 'name must be a non-empty string');
      });
      it('findExisting returns null for a key never used', async () => {
        const { host } = await freshHost();
        const found = await host.call((ctx) => plugin.findExisting(ctx, `never-used-${accountNo}`));
        assert.equal(found, null);
      });
    });

    describe('faults', () => {
      const inject = (kind: FaultKind, extra: Record<string, number> = {}) =>
        sandbox.setFaults(platform, { rate: 1, kinds: [kind], remaining: 1, seed: 7, ...extra });

      it('maps a rate limit to RateLimited with a positive retryAfterMs', async () => {
        const { host, secrets } = await freshHost();
        await inject('rate_limit');
        const e = await expectKind(plugin.publish(host.context(), rendition()), ['rate_limited'], secrets);
        assert.ok((e as { retryAfterMs: number }).retryAfterMs > 0, 'retryAfterMs must be > 0');
      });
      it('maps a server error to Transient (or Ambiguous)', async () => {
        const { host, secrets } = await freshHost();
        await inject('server_error');
        await expectKind(plugin.publish(host.context(), rendition()), ['transient', 'ambiguous'], secrets);
      });
      it('maps an expired token to AuthExpired', async () => {
        const { host, secrets } = await freshHost();
        await inject('token_expired');
        await expectKind(plugin.publish(host.context(), rendition()), ['auth_expired'], secrets);
      });
      it('maps a response lost after commit to Ambiguous', async () => {
        const { host, secrets } = await freshHost();
        await inject('lost_response');
        await expectKind(plugin.publish(host.context(), rendition()), ['ambiguous'], secrets);
      });
      it('maps a timeout to Ambiguous (or Transient for a safe read), and the host still ends with one post', async () => {
        const slowMs = options.slowMs ?? 1200;
        const { host, account, secrets } = await freshHost(options.slowTimeoutMs ?? 300);
        await inject('slow', { slowMs });
        const ctx = host.context();
        await expectKind(plugin.publish(ctx, rendition()), ['ambiguous', 'transient'], secrets);
        // The slow platform finishes its work after the client gave up; wait for it before resolving.
        await pollUntil(async () => (await sandbox.status(platform)).inflight === 0, slowMs + 5000);
        // The platform is fast again: the host resolves with its ordinary timeout (a video part may take longer than the short one).
        const out = await host.publish(rendition(), { idempotencyKey: ctx.idempotencyKey, timeoutMs: options.timeoutMs ?? 3000 });
        assert.equal(out.state, 'published', String((out.error as Error)?.message ?? ''));
        const posts = (await sandbox.posts(platform, account.id)).filter((p) => !p.deleted);
        assert.equal(posts.length, 1, `expected exactly one post after the timeout, found ${posts.length}`);
      });
      it('recovers from an expired token by refreshing credentials', async () => {
        const { host, account } = await freshHost();
        await inject('token_expired');
        const out = await host.publish(rendition());
        assert.equal(out.state, 'published', String((out.error as Error)?.message ?? ''));
        assert.ok(
          host.events.some((e) => e.type === 'error' && e.kind === 'auth_expired'),
          'the fault was not seen',
        );
        assert.equal(
          host.events.filter((e) => e.type === 'refresh' && e.ok).length,
          2,
          'the host must have refreshed (once on connect, once after the expiry)',
        );
        assert.equal((await sandbox.posts(platform, account.id)).length, 1);
      });
      it('after a lost response at any committing step, a host retry finds or resumes the post instead of posting twice', async () => {
        // Count the committing requests of one publish, then lose the response of each in turn: losing the
        // final "create post" response is the case findExisting exists for.
        const probe = await freshHost();
        const before = (await sandbox.status(platform)).commits;
        assert.equal((await probe.host.publish(rendition())).state, 'published');
        const steps = (await sandbox.status(platform)).commits - before;
        assert.ok(steps >= 1, 'a publish must make at least one committing request');
        for (let k = 0; k < steps; k++) {
          const { host, account } = await freshHost();
          await sandbox.setFaults(platform, { rate: 1, kinds: ['lost_response'], remaining: 1, after: k, seed: 5 });
          const out = await host.publish(rendition());
          const where = `losing the response of committing request ${k + 1} of ${steps}`;
          assert.equal(out.state, 'published', `${where}: ${String((out.error as Error)?.message ?? out.state)}`);
          assert.ok(
            host.events.some((e) => e.type === 'error' && e.kind === 'ambiguous'),
            `${where}: the lost response was not reported as ambiguous`,
          );
          assert.ok(
            host.events.some((e) => e.type === 'find_existing'),
            `${where}: the host did not ask findExisting`,
          );
          const posts = (await sandbox.posts(platform, account.id)).filter((p) => !p.deleted);
          assert.equal(posts.length, 1, `${where}: expected exactly one post, found ${posts.length}`);
          // A platform that keeps no key of ours is found again by content and time (manifest.idempotency 'lookup').
          if (m.idempotency !== 'lookup') assert.ok(posts[0].idempotencyMarker, `${where}: the post must carry the idempotency marker`);
        }
      });
      it('retries through a rate limit and a server error to exactly one post', async () => {
        const { host, account } = await freshHost();
        await sandbox.setFaults(platform, { rate: 1, kinds: ['rate_limit', 'server_error'], remaining: 2, seed: 3, retryAfterSec: 1 });
        const out = await host.publish(rendition());
        assert.equal(out.state, 'published', String((out.error as Error)?.message ?? ''));
        assert.equal((await sandbox.posts(platform, account.id)).length, 1);
      });
    });

    describe('capabilities', () => {
      const published = async () => {
        const { host, account } = await freshHost();
        const out = await host.publish(rendition());
        assert.equal(out.state, 'published');
        const [post] = await sandbox.posts(platform, account.id);
        return { host, remoteId: out.result!.remoteId, post };
      };

      // Capability tests exist only for what the manifest declares: an undeclared capability is not
      // a skipped test, it is not part of this plugin's contract.
      if (has('retract'))
        it('retracts a post, and retracting twice succeeds', async () => {
          const { host, remoteId, post } = await published();
          await host.call((ctx) => plugin.retract!(ctx, remoteId));
          const after = (await sandbox.posts(platform, post.account)).find((p) => p.id === post.id);
          assert.equal(after?.deleted, true, 'the simulator must show the post deleted');
          await host.call((ctx) => plugin.retract!(ctx, remoteId));
        });
      if (has('metrics'))
        it('fetches metrics as non-negative numbers', async () => {
          const { host, remoteId } = await published();
          const mt = await host.call((ctx) => plugin.fetchMetrics!(ctx, remoteId));
          assert.ok(Number.isFinite(mt.asOf), 'asOf must be a timestamp');
          for (const k of ['views', 'likes', 'comments', 'shares', 'favorites'] as const) {
            if (mt[k] !== undefined) assert.ok(Number.isFinite(mt[k]) && mt[k]! >= 0, `${k} must be a non-negative number`);
          }
        });
      if (has('comments'))
        it('fetches comments and replies to one', async () => {
          const { host, remoteId, post } = await published();
          await sandbox.addComment(platform, post.id, '请问具体时间是？', '市民甲');
          const { items } = await host.call((ctx) => plugin.fetchComments!(ctx, remoteId));
          const c = items.find((i) => i.text === '请问具体时间是？');
          assert.ok(c, 'the seeded comment must be returned');
          await host.call((ctx) => plugin.reply!(ctx, remoteId, c.id, '您好，时间为7月1日。'));
          const after = (await sandbox.posts(platform, post.account)).find((p) => p.id === post.id);
          assert.equal(after?.comments[0]?.reply?.text, '您好，时间为7月1日。', 'the simulator must show the reply');
        });
    });

    // The inbox cases exist for plugins that declare `interaction.comments` (SDK 0.3); a 0.2 plugin's
    // comments are covered by the capability test above only.
    if (has('comments') && m.interaction?.comments)
      describe('comments (inbox)', () => {
        const rules = m.interaction!.comments!;
        const STEP_MS = 2000;
        const published = async () => {
          const fresh = await freshHost();
          const out = await fresh.host.publish(rendition());
          assert.equal(out.state, 'published', String((out.error as Error)?.message ?? ''));
          const [post] = await sandbox.posts(platform, fresh.account.id);
          return { ...fresh, remoteId: out.result!.remoteId, post };
        };
        const fetchAll = async (host: TestHost, remoteId: string, params: { since?: number; limit?: number } = {}) => {
          const items: CommentPage['items'] = [];
          let cursor: string | undefined;
          for (let page = 0; page < 20; page++) {
            const r = await host.call((ctx) => plugin.fetchComments!(ctx, remoteId, { ...params, cursor }));
            assert.ok(
              r.items.length <= Math.min(params.limit ?? rules.maxPageSize, rules.maxPageSize),
              'a page must respect limit and maxPageSize',
            );
            items.push(...r.items);
            cursor = r.nextCursor;
            if (!cursor) return items;
          }
          throw new Error('fetchComments kept returning a nextCursor for a handful of comments');
        };
        const threeComments = async () => {
          const p = await published();
          for (const [i, text] of ['第一条：请问几点开始？', '第二条：在哪里报名？', '第三条：需要带身份证吗？'].entries()) {
            await sandbox.addComment(platform, p.post.id, text, `市民${i + 1}`, { authorId: `citizen-${i + 1}` });
            await sandbox.advanceClock(platform, STEP_MS);
          }
          return p;
        };

        it('fetches a post’s comments newest first, page by page, and `since` drops older ones', async () => {
          const { host, remoteId } = await threeComments();
          const all = await fetchAll(host, remoteId);
          const texts = all.map((c) => c.text);
          assert.deepEqual(
            texts.map((t) => t.slice(0, 3)),
            ['第三条', '第二条', '第一条'],
            `comments must come newest first: ${texts.join(' | ')}`,
          );
          for (const c of all) {
            assert.equal(c.postRemoteId, remoteId, 'postRemoteId must name the post fetched');
            assert.ok(typeof c.id === 'string' && c.id.length > 0, 'a comment needs an id');
            assert.ok(Number.isFinite(c.createdAt) && c.createdAt > 0, 'createdAt must be a timestamp in ms');
            assert.notEqual(c.fromAccount, true, 'a citizen comment is not from the account');
          }
          const paged = await fetchAll(host, remoteId, { limit: 1 });
          assert.deepEqual(
            paged.map((c) => c.id),
            all.map((c) => c.id),
            'pages of one comment must give the same comments in the same order',
          );
          const recent = await fetchAll(host, remoteId, { since: all[1].createdAt });
          assert.deepEqual(
            recent.map((c) => c.id),
            all.slice(0, 2).map((c) => c.id),
            '`since` must keep the comments made at or after it and drop the older one',
          );
        });

        it('replies once; after a lost response findReply finds the reply, and finds none for a comment never answered', async () => {
          const { host, remoteId, post, account } = await threeComments();
          const all = await fetchAll(host, remoteId);
          const [answered, untouched] = all;
          await sandbox.setFaults(platform, { rate: 1, kinds: ['lost_response'], remaining: 1, seed: 11 });
          const key = `reply-${accountNo}-1`;
          const ctx = host.context({ idempotencyKey: key });
          await expectKind(plugin.reply!(ctx, remoteId, answered.id, '您好，上午九点开始。', { idempotencyKey: key }), ['ambiguous'], []);
          await sandbox.setFaults(platform, { rate: 0, kinds: [] });
          if (plugin.findReply) {
            const found = await host.call((c) => plugin.findReply!(c, remoteId, answered.id, key));
            assert.ok(found && typeof found.id === 'string', 'findReply must find the reply whose response was lost');
            const none = await host.call((c) => plugin.findReply!(c, remoteId, untouched.id, `reply-${accountNo}-2`));
            assert.equal(none, null, 'findReply must give null for a comment never answered');
          }
          const replies = (await sandbox.replies(platform, { account: account.id, kind: 'comment' })).filter((r) => r.postId === post.id);
          assert.equal(replies.length, 1, `the platform must show exactly one reply, found ${replies.length}`);
          assert.equal(replies[0].text, '您好，上午九点开始。');
        });

        if (rules.accountComments) {
          /** Every page of one read of the account's comments, and the read's mark (its first page's). */
          const readAccount = async (host: TestHost, params: { after?: string; since?: number; limit?: number } = {}) => {
            const items: AccountCommentPage['items'] = [];
            let cursor: string | undefined;
            let mark: string | undefined;
            for (let page = 0; page < 20; page++) {
              const r = await host.call((ctx) => plugin.fetchAccountComments!(ctx, { ...params, cursor }));
              assert.ok(
                r.items.length <= Math.min(params.limit ?? rules.maxPageSize, rules.maxPageSize),
                'a page must respect limit and maxPageSize',
              );
              if (page === 0) mark = r.mark;
              items.push(...r.items);
              cursor = r.nextCursor;
              if (!cursor) return { items, mark };
            }
            throw new Error('fetchAccountComments kept returning a nextCursor for a handful of comments');
          };

          it('lists the comments on all the account’s posts in one read, newest first, each naming its post; `after` the mark gives only newer ones', async () => {
            const first = await threeComments();
            // A second post of the same account, and another account whose comments must never appear.
            const second = await first.host.publish(rendition());
            assert.equal(second.state, 'published', String((second.error as Error)?.message ?? ''));
            const secondPost = (await sandbox.posts(platform, first.account.id)).find((p) => p.id !== first.post.id)!;
            await sandbox.addComment(platform, secondPost.id, '第四条：另一篇的留言', '市民4', { authorId: 'citizen-4' });
            await sandbox.advanceClock(platform, STEP_MS);
            const stranger = await threeComments();
            const { items, mark } = await readAccount(first.host);
            assert.deepEqual(
              items.map((c) => c.text.slice(0, 3)),
              ['第四条', '第三条', '第二条', '第一条'],
              `the account’s comments, newest first, and no other account’s: ${items.map((c) => c.text).join(' | ')}`,
            );
            assert.equal(items[0].postRemoteId, second.result!.remoteId, 'a comment must name the post it is on');
            for (const c of items.slice(1)) assert.equal(c.postRemoteId, first.remoteId, 'a comment must name the post it is on');
            assert.ok(typeof mark === 'string' && mark.length > 0, 'the first page of a read must give a mark');
            const paged = await readAccount(first.host, { limit: 1 });
            assert.deepEqual(
              paged.items.map((c) => c.id),
              items.map((c) => c.id),
              'pages of one comment must give the same comments in the same order',
            );
            const recent = await readAccount(first.host, { since: items[1].createdAt });
            assert.deepEqual(
              recent.items.map((c) => c.id),
              items.slice(0, 2).map((c) => c.id),
              '`since` must keep the comments made at or after it and drop the older ones',
            );
            assert.deepEqual((await readAccount(first.host, { after: mark })).items, [], 'nothing is newer than the mark yet');
            await sandbox.addComment(platform, first.post.id, '第五条：新的留言', '市民5', { authorId: 'citizen-5' });
            const newer = await readAccount(first.host, { after: mark });
            assert.deepEqual(
              newer.items.map((c) => c.text.slice(0, 3)),
              ['第五条'],
              '`after` the mark must give exactly the comments made since',
            );
            assert.ok(newer.mark && newer.mark !== mark, 'a read with newer comments must move the mark');
            const theirs = await readAccount(stranger.host);
            assert.equal(theirs.items.length, 3, 'the other account sees its own three comments only');
          });

          it('maps account-list faults to typed errors, refreshes an expired token, and answers the quota error as RateLimited', async () => {
            const { host, secrets } = await freshHost();
            await sandbox.setFaults(platform, { rate: 1, kinds: ['rate_limit'], remaining: 1, seed: 17 });
            const e = await expectKind(plugin.fetchAccountComments!(host.context(), {}), ['rate_limited'], secrets);
            assert.ok((e as { retryAfterMs: number }).retryAfterMs > 0, 'retryAfterMs must be > 0');
            await sandbox.setFaults(platform, { rate: 1, kinds: ['server_error'], remaining: 1, seed: 17 });
            await expectKind(plugin.fetchAccountComments!(host.context(), {}), ['transient', 'ambiguous'], secrets);
            await sandbox.setFaults(platform, { rate: 1, kinds: ['token_expired'], remaining: 1, seed: 17 });
            const refreshes = host.events.filter((ev) => ev.type === 'refresh').length;
            const page = await host.call((ctx) => plugin.fetchAccountComments!(ctx, {}));
            assert.deepEqual(page.items, []);
            assert.equal(
              host.events.filter((ev) => ev.type === 'refresh').length,
              refreshes + 1,
              'an expired token must be refreshed once',
            );
            await sandbox.setFaults(platform, { rate: 0, kinds: [] });
            let ok = 0;
            let limited: unknown;
            for (let i = 0; i <= rules.dailyCallsPerAccount + 1 && limited === undefined; i++) {
              try {
                await plugin.fetchAccountComments!(host.context(), {});
                ok++;
              } catch (err) {
                limited = err;
              }
            }
            assert.ok(
              limited !== undefined,
              `no quota error after ${ok} calls: the simulator must enforce the declared quota of ${rules.dailyCallsPerAccount} a day`,
            );
            await expectKind(Promise.reject(limited), ['rate_limited'], secrets);
            assert.ok(
              ok <= rules.dailyCallsPerAccount,
              `the quota error came after ${ok} calls; the manifest declares ${rules.dailyCallsPerAccount}`,
            );
          });
        }

        if (rules.canDelete)
          it('deletes a comment, and deleting it again succeeds', async () => {
            const { host, remoteId } = await threeComments();
            const [first] = await fetchAll(host, remoteId);
            await host.call((ctx) => plugin.deleteComment!(ctx, remoteId, first.id));
            const after = await fetchAll(host, remoteId);
            assert.ok(!after.some((c) => c.id === first.id), 'a deleted comment must leave the list');
            assert.equal(after.length, 2);
            await host.call((ctx) => plugin.deleteComment!(ctx, remoteId, first.id));
          });

        if (rules.canDelete)
          it('after a lost response a retried delete succeeds and removes exactly that comment', async () => {
            const { host, remoteId } = await threeComments();
            const [first, ...rest] = await fetchAll(host, remoteId);
            await sandbox.setFaults(platform, { rate: 1, kinds: ['lost_response'], remaining: 1, seed: 13 });
            // The first attempt may end ambiguous (the platform did it, the answer was lost) or transient,
            // never untyped; the host's retry must then succeed whatever the platform had done.
            const firstTry = await plugin.deleteComment!(host.context(), remoteId, first.id).then(
              () => undefined,
              (e: unknown) => e,
            );
            await sandbox.setFaults(platform, { rate: 0, kinds: [] });
            if (firstTry !== undefined) {
              assert.ok(isPluginError(firstTry), `a lost response must be a typed plugin error, got ${String(firstTry)}`);
              assert.ok(['ambiguous', 'transient'].includes(errorKind(firstTry)!), `got ${errorKind(firstTry)}`);
            }
            await host.call((ctx) => plugin.deleteComment!(ctx, remoteId, first.id));
            const after = await fetchAll(host, remoteId);
            assert.deepEqual(
              after.map((c) => c.id),
              rest.map((c) => c.id),
              'only the deleted comment may leave the list',
            );
          });

        if (rules.canDelete || rules.canHide)
          it('never deletes or hides a comment on another account’s post', async () => {
            const mine = await threeComments();
            const theirs = await threeComments();
            const [target] = await fetchAll(theirs.host, theirs.remoteId);
            for (const op of [rules.canDelete && plugin.deleteComment, rules.canHide && plugin.hideComment]) {
              if (!op) continue;
              // Whatever the plugin answers (a refusal, or "already gone" for a comment its post lacks),
              // the other account's comment must stay untouched.
              await op.call(plugin, mine.host.context(), theirs.remoteId, target.id).catch((e: unknown) => {
                assert.ok(isPluginError(e), `a refusal must be a typed plugin error, got ${String(e)}`);
              });
              await op.call(plugin, mine.host.context(), mine.remoteId, target.id).catch((e: unknown) => {
                assert.ok(isPluginError(e), `a refusal must be a typed plugin error, got ${String(e)}`);
              });
            }
            const inspected = (await sandbox.posts(platform, theirs.post.account)).find((p) => p.id === theirs.post.id);
            assert.ok(
              inspected?.comments.every((c) => !c.deleted && !c.hidden),
              'another account’s comments must stay as they were',
            );
            assert.equal((await fetchAll(theirs.host, theirs.remoteId)).length, 3);
          });

        if (rules.canHide)
          it('hides a comment', async () => {
            const { host, remoteId, post } = await threeComments();
            const [first] = await fetchAll(host, remoteId);
            await host.call((ctx) => plugin.hideComment!(ctx, remoteId, first.id));
            const inspected = (await sandbox.posts(platform, post.account)).find((p) => p.id === post.id);
            assert.ok(
              inspected?.comments.some((c) => c.hidden),
              'the simulator must show the comment hidden',
            );
            // Hiding is idempotent like deleting: the host may repeat it after an ambiguous answer.
            await host.call((ctx) => plugin.hideComment!(ctx, remoteId, first.id));
          });
      });

    if (has('messages'))
      describe('messages (inbox)', () => {
        const rules = m.interaction!.messages!;
        const appFields = new Set(m.credentials.filter((f) => f.scope === 'app').map((f) => f.name));
        const webhookCtx = (credentials: Record<string, string>): WebhookContext => ({
          // Only what the hub holds for its app registration: a webhook names no account before it is parsed.
          credentials: Object.freeze(Object.fromEntries(Object.entries(credentials).filter(([k]) => appFields.has(k)))),
          settings: options.settings ?? {},
          clock: { now: () => sim.now() },
          log: { debug() {}, info() {}, warn() {}, error() {} },
        });
        const toRequest = (push: WebhookPush): WebhookRequest => ({
          method: push.method,
          query: { ...(push.query ?? {}) },
          headers: Object.fromEntries(Object.entries(push.headers).map(([k, v]) => [k.toLowerCase(), v])),
          rawBody: Buffer.from(push.body, 'utf8'),
        });
        const verdict = async (credentials: Record<string, string>, req: WebhookRequest): Promise<WebhookVerdict> => {
          const v = await plugin.handleWebhook!(webhookCtx(credentials), req);
          assert.ok(v && ['challenge', 'rejected', 'accepted'].includes(v.kind), `handleWebhook gave ${JSON.stringify(v)}`);
          assert.ok(Number.isInteger(v.response.status), 'a verdict carries the HTTP answer');
          return v;
        };
        const citizenWrites = async (account: { id: string }, from: string, text: string) => {
          const msg = await sandbox.sendMessage(platform, { account: account.id, from, text, deliver: false });
          return { msg, push: await sandbox.messagePush(platform, msg.id) };
        };

        it('declares the reply window, signature and retries', () => {
          assert.ok(rules.replyWindowHours > 0 && rules.replyMaxChars > 0);
          assert.ok(rules.signature.zh && rules.retries.zh);
          assert.ok(appFields.size > 0, 'the webhook secret must be an app-scope credential (the hub holds one per platform)');
        });

        it('accepts a signed push of a citizen’s message, with the same messageId when the platform retries it', async () => {
          const { host, account } = await freshHost();
          const { msg, push } = await citizenWrites(account, 'citizen-a', '你好，请问社保卡怎么补办？');
          const v = await verdict(account.credentials, toRequest(push));
          assert.equal(v.kind, 'accepted', v.kind === 'rejected' ? v.reason : '');
          if (v.kind !== 'accepted') return;
          assert.ok(v.response.status >= 200 && v.response.status < 300, 'an accepted push is answered 2xx');
          assert.equal(v.messages.length, 1);
          const [got] = v.messages;
          assert.equal(got.text, '你好，请问社保卡怎么补办？');
          assert.equal(got.kind, 'text');
          assert.equal(got.conversationId, 'citizen-a');
          const profile = await host.call((ctx) => plugin.getProfile(ctx));
          const expectedAccount = rules.accountCredential ? account.credentials[rules.accountCredential] : profile.platformAccountId;
          assert.equal(got.platformAccountId, expectedAccount, 'platformAccountId must name the receiving account');
          assert.ok(Math.abs(got.createdAt - Date.parse(msg.createdAt)) < 1000, 'createdAt must be the message time');
          const again = await verdict(account.credentials, toRequest(await sandbox.messagePush(platform, msg.id)));
          assert.equal(again.kind, 'accepted');
          assert.equal(
            again.kind === 'accepted' ? again.messages[0]?.messageId : undefined,
            got.messageId,
            'a retried push keeps its messageId',
          );
        });

        it('rejects a push signed with another secret, and garbage, without throwing', async () => {
          const { account } = await freshHost();
          const { push } = await citizenWrites(account, 'citizen-b', '测试');
          const wrong = Object.fromEntries(Object.entries(account.credentials).map(([k, v]) => [k, appFields.has(k) ? `${v}-wrong` : v]));
          const v = await verdict(wrong, toRequest(push));
          assert.equal(v.kind, 'rejected', 'a push signed with another secret must be rejected');
          assert.ok(v.response.status >= 400, 'a rejected push is answered 4xx/5xx');
          for (const req of [
            { method: 'POST' as const, query: {}, headers: {}, rawBody: Buffer.from('garbage') },
            { method: 'GET' as const, query: {}, headers: {}, rawBody: Buffer.alloc(0) },
            { ...toRequest(push), rawBody: Buffer.from('<xml><oops') },
          ]) {
            const g = await verdict(account.credentials, req);
            assert.equal(g.kind, 'rejected', `garbage must be rejected: ${JSON.stringify({ ...req, rawBody: req.rawBody.toString() })}`);
          }
        });

        it('answers the platform’s verification handshake where it has one, and never a GET without a valid signature', async () => {
          const { account } = await freshHost();
          const challenge = sim.definition.webhook?.challenge;
          if (challenge) {
            const { push, expect } = challenge(sim);
            const v = await verdict(account.credentials, toRequest(push));
            assert.equal(v.kind, 'challenge', v.kind === 'rejected' ? v.reason : '');
            assert.equal(v.response.status, 200);
            assert.equal(v.response.body.trim(), expect, 'the handshake must be answered with what the platform expects');
          }
          const forged = await verdict(account.credentials, {
            method: 'GET',
            query: { echostr: 'forged', challenge: 'forged', signature: 'forged', timestamp: '1', nonce: '1' },
            headers: {},
            rawBody: Buffer.alloc(0),
          });
          assert.equal(forged.kind, 'rejected', 'an unsigned handshake must not be echoed');
        });

        it('sends a reply within the window, and is refused with the platform’s code after it', async () => {
          const { host, account } = await freshHost();
          await citizenWrites(account, 'citizen-c', '请问办事大厅几点下班？');
          const sent = await host.call((ctx) =>
            plugin.sendMessage!(ctx, { conversationId: 'citizen-c', text: '您好，下午五点半。', idempotencyKey: `msg-${accountNo}-1` }),
          );
          assert.ok(typeof sent.id === 'string' && sent.id.length > 0, 'sendMessage must return an id');
          await sandbox.advanceClock(platform, rules.replyWindowHours * 3_600_000 + 60_000);
          // Tokens expire over two days: the host refreshes, as it would.
          const late = host.call((ctx) =>
            plugin.sendMessage!(ctx, { conversationId: 'citizen-c', text: '补充一下。', idempotencyKey: `msg-${accountNo}-2` }),
          );
          const e = await expectKind(late, ['permanent'], []);
          assert.ok((e as { platformCode?: unknown }).platformCode !== undefined, 'the refusal must carry the platform code');
          const replies = await sandbox.replies(platform, { account: account.id, kind: 'message' });
          assert.deepEqual(
            replies.map((r) => [r.conversationId, r.text]),
            [['citizen-c', '您好，下午五点半。']],
            'exactly the reply within the window must reach the citizen',
          );
        });
      });

    // Listing tests exist only when the plugin declares the capability, like the capability tests above.
    if (has('listPosts'))
      describe('listPosts', () => {
        const listing = m.postListing!;
        const STEP_MS = 2000;
        const list = (host: TestHost, params: ListPostsParams = {}) => host.call((ctx) => plugin.listPosts!(ctx, params));
        const readAll = async (host: TestHost, params: ListPostsParams = {}) => {
          const posts: ListedPost[] = [];
          let cursor: string | undefined;
          for (let page = 0; page < 20; page++) {
            const r: PostPage = await list(host, { ...params, cursor });
            posts.push(...r.posts);
            cursor = r.nextCursor;
            if (!cursor) return posts;
          }
          throw new Error('listPosts kept returning a nextCursor for a handful of posts');
        };
        // Platforms count time in seconds: posts made apart on the simulated clock get distinct times.
        const tick = () => sandbox.advanceClock(platform, STEP_MS);
        const mentions = (p: ListedPost, text: string) => `${p.title ?? ''}\n${p.text}`.includes(text);
        const checkShape = (p: ListedPost) => {
          assert.ok(typeof p.remoteId === 'string' && p.remoteId.length > 0, 'a listed post needs a remoteId');
          assert.ok(typeof p.text === 'string', 'a listed post needs a text (possibly empty)');
          assert.ok(Number.isFinite(p.publishedAt) && p.publishedAt > 0, 'publishedAt must be a timestamp in ms');
          let host = '';
          try {
            host = new URL(p.url).hostname;
          } catch {
            assert.fail(`url "${p.url}" is not an absolute URL`);
          }
          assert.ok(hostAllowed(host, listing.postUrlHosts), `url host ${host} is not in postListing.postUrlHosts`);
          if (p.kind !== undefined) assert.ok((POST_KINDS as readonly string[]).includes(p.kind), `unknown kind ${p.kind}`);
        };
        /** null, or the kind of the typed error; anything untyped fails the test. */
        const lookup = async (host: TestHost, url: string): Promise<ListedPost | null | 'content_invalid'> => {
          try {
            return await host.call((ctx) => plugin.getPostByUrl!(ctx, url));
          } catch (e) {
            assert.ok(
              isPluginError(e),
              `getPostByUrl(${JSON.stringify(url)}) leaked an untyped error: ${String((e as Error)?.stack ?? e)}`,
            );
            assert.equal(
              errorKind(e),
              'content_invalid',
              `getPostByUrl(${JSON.stringify(url)}) threw ${errorKind(e)}: ${(e as Error).message}`,
            );
            return 'content_invalid';
          }
        };

        /** A fresh account with an older native post, a post published through the plugin, and a newer native post. */
        const threePosts = async () => {
          const fresh = await freshHost();
          const older = await sandbox.nativePost(platform, {
            account: fresh.account.id,
            title: '县政府召开常务会议',
            text: '县政府召开常务会议，研究部署当前重点工作（平台内直接发布 A）。',
            link: 'https://www.example.gov.cn/a.html',
          });
          await tick();
          const out = await fresh.host.publish(rendition());
          assert.equal(out.state, 'published', String((out.error as Error)?.message ?? ''));
          assert.ok(out.result?.url, 'publish must report the post URL, so a unit can submit it as evidence');
          await tick();
          const newer = await sandbox.nativePost(platform, {
            account: fresh.account.id,
            title: '转发：全市防汛工作部署会',
            text: '转发市政府消息：全市防汛工作部署会召开（平台内直接发布 B）。',
            link: 'https://www.example.gov.cn/b.html',
          });
          assert.ok(older.url && newer.url, 'the simulator must report the URL of a native post (SimulatorDefinition.postUrl)');
          return { ...fresh, older, newer, published: out.result! };
        };

        it('declares a quota, a page size and post URL hosts', () => {
          assert.ok(listing.dailyCallsPerAccount > 0 && listing.maxPageSize > 0 && listing.maxCallsPerUrlCheck > 0);
          assert.ok(listing.postUrlHosts.length > 0);
        });

        it('lists a post published through the plugin and posts made in the platform app, newest first, in pages', async () => {
          const { host, older, newer } = await threePosts();
          const all = await readAll(host);
          all.forEach(checkShape);
          assert.equal(all.length, 3, `expected the 3 posts of this account, got ${all.length}: ${all.map((p) => p.text).join(' | ')}`);
          assert.ok(mentions(all[0], '平台内直接发布 B'), `the newest post must come first, got: ${all[0].text}`);
          assert.ok(
            mentions(all[1], sample.title),
            `the post published through the plugin must be listed second, got: ${all[1].title ?? all[1].text}`,
          );
          assert.ok(mentions(all[2], '平台内直接发布 A'), `the oldest post must come last, got: ${all[2].text}`);
          for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].publishedAt > all[i].publishedAt, 'posts must be newest first');
          assert.equal(new Set(all.map((p) => p.remoteId)).size, 3, 'remoteIds must be distinct');
          assert.ok(older.url && newer.url);

          const paged: ListedPost[] = [];
          let cursor: string | undefined;
          for (let page = 0; page < 10; page++) {
            // A page may be empty (a platform that cannot tell the list ended until it reads past it).
            const r = await list(host, { limit: 1, cursor });
            paged.push(...r.posts);
            cursor = r.nextCursor;
            if (!cursor) break;
          }
          assert.equal(cursor, undefined, 'paging through 3 posts one at a time must end within 10 pages');
          assert.deepEqual(
            paged.map((p) => p.remoteId),
            all.map((p) => p.remoteId),
            'reading pages of one post with nextCursor must give the same posts in the same order',
          );

          const recent = await readAll(host, { since: all[1].publishedAt });
          assert.deepEqual(
            recent.map((p) => p.remoteId),
            all.slice(0, 2).map((p) => p.remoteId),
            '`since` must keep the posts published at or after it and drop the older one',
          );
        });

        it('finds this account’s posts by URL, and never another account’s post or garbage', async () => {
          const { host, newer, published } = await threePosts();
          const all = await readAll(host);
          const own = await lookup(host, published.url!);
          assert.ok(own && own !== 'content_invalid', `getPostByUrl(${published.url}) must find the post published through the plugin`);
          checkShape(own);
          assert.equal(own.remoteId, all[1].remoteId, 'getPostByUrl must give the same remoteId as listPosts');
          const native = await lookup(host, newer.url!);
          assert.ok(native && native !== 'content_invalid', `getPostByUrl(${newer.url}) must find the native post`);
          assert.equal(native.remoteId, all[0].remoteId);

          const other = await freshHost();
          const foreign = await sandbox.nativePost(platform, {
            account: other.account.id,
            title: '别的单位的稿件',
            text: '另一账号在平台内发布的内容。',
          });
          assert.ok(foreign.url, 'the simulator must report the URL of a native post');
          assert.equal(await lookup(host, foreign.url), null, `another account's post (${foreign.url}) must give null`);

          const platformHost = listing.postUrlHosts[0].replace(/^\*\./, 'www.');
          for (const junk of [
            '',
            '   ',
            'not a url',
            'javascript:alert(1)',
            'https://example.com/p/1',
            'ftp://example.com/x',
            `${'https://'}${'a'.repeat(3000)}.com/`,
          ]) {
            assert.equal(await lookup(host, junk), null, `getPostByUrl(${JSON.stringify(junk.slice(0, 60))}) must give null`);
          }
          for (const odd of [
            `https://${platformHost}/`,
            `https://${platformHost}/zz-not-a-post?x=1`,
            `https://user:pw@${platformHost}/1`,
          ]) {
            const r = await lookup(host, odd);
            assert.ok(r === null || r === 'content_invalid', `getPostByUrl(${odd}) must give null or a content_invalid error`);
          }
        });

        if (has('retract'))
          it('drops a deleted post from the list and from getPostByUrl', async () => {
            const { host, published } = await threePosts();
            await host.call((ctx) => plugin.retract!(ctx, published.remoteId));
            const all = await readAll(host);
            assert.equal(all.length, 2, 'the retracted post must leave the list');
            assert.ok(!all.some((p) => p.url === published.url), 'the retracted post must leave the list');
            assert.equal(await lookup(host, published.url!), null, 'getPostByUrl of a retracted post must give null');
          });

        it('maps list faults to typed errors and recovers from an expired token by refreshing', async () => {
          const { host, secrets } = await freshHost();
          await sandbox.setFaults(platform, { rate: 1, kinds: ['rate_limit'], remaining: 1, seed: 7 });
          const e = await expectKind(plugin.listPosts!(host.context(), {}), ['rate_limited'], secrets);
          assert.ok((e as { retryAfterMs: number }).retryAfterMs > 0, 'retryAfterMs must be > 0');
          await sandbox.setFaults(platform, { rate: 1, kinds: ['server_error'], remaining: 1, seed: 7 });
          await expectKind(plugin.listPosts!(host.context(), {}), ['transient', 'ambiguous'], secrets);
          await sandbox.setFaults(platform, { rate: 1, kinds: ['token_expired'], remaining: 1, seed: 7 });
          const refreshes = host.events.filter((ev) => ev.type === 'refresh').length;
          const page = await list(host);
          assert.deepEqual(page.posts, []);
          assert.equal(host.events.filter((ev) => ev.type === 'refresh').length, refreshes + 1, 'an expired token must be refreshed once');
        });

        it('answers the platform quota error as RateLimited once the declared daily quota is spent', async () => {
          const { host, secrets } = await freshHost();
          let ok = 0;
          let limited: unknown;
          for (let i = 0; i <= listing.dailyCallsPerAccount + 1 && limited === undefined; i++) {
            try {
              await plugin.listPosts!(host.context(), {});
              ok++;
            } catch (err) {
              limited = err;
            }
          }
          assert.ok(
            limited !== undefined,
            `no quota error after ${ok} list calls: the simulator must enforce the declared quota of ${listing.dailyCallsPerAccount} a day`,
          );
          await expectKind(Promise.reject(limited), ['rate_limited'], secrets);
          assert.ok(
            ok >= 1 && ok <= listing.dailyCallsPerAccount,
            `the quota error came after ${ok} calls; the manifest declares ${listing.dailyCallsPerAccount}`,
          );
          const wait = (limited as { retryAfterMs: number }).retryAfterMs;
          assert.ok(wait > 0 && wait <= 25 * 3_600_000, `retryAfterMs ${wait} must point at the quota reset, within a day`);
        });
      });
  });
}
