import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// A nested `node --test` inheriting NODE_TEST_CONTEXT reports to this runner instead of exiting non-zero.
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

// A suite that passes everything proves nothing: run it on plugins with one seeded bug each, in a child
// process (the suites register with node:test), and check it fails for the right reason.
function runBroken(patch: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tongfa-broken-'));
  try {
    const file = join(dir, 'broken.spec.js');
    writeFileSync(
      file,
      `const { loadScaffoldedPlugin } = require(${JSON.stringify(join(__dirname, 'template-fixture.spec-support.js'))});
const { describeConformance } = require(${JSON.stringify(join(__dirname, 'conformance.js'))});
const sdk = require(${JSON.stringify(join(__dirname, '..', 'index.js'))});
const { plugin, createSimulator } = loadScaffoldedPlugin('broken-platform');
${patch}
describeConformance(plugin, createSimulator, { numRuns: 20, seed: 1 });
`,
    );
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', file], { encoding: 'utf8', env: childEnv() });
    assert.notEqual(r.status, 0, 'the conformance suite must fail a broken plugin');
    return r.stdout + r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('conformance suite on broken plugins', { timeout: 60_000 }, () => {
  it('fails a plugin that reports rate limits as transient errors', () => {
    const out = runBroken(`const publish = plugin.publish;
plugin.publish = async (ctx, r) => { try { return await publish(ctx, r); } catch (e) { if (sdk.errorKind(e) === 'rate_limited') throw new sdk.TransientError(); throw e; } };`);
    assert.match(out, /✖ maps a rate limit to RateLimited/);
    assert.match(out, /expected rate_limited, got transient/);
  });

  it('fails a plugin whose findExisting never finds anything (duplicates after a lost response)', () => {
    const out = runBroken(`plugin.findExisting = async () => null;`);
    assert.match(out, /✖ after a lost response at any committing step/);
    assert.match(out, /losing the response of committing request 3 of 3: expected exactly one post, found 2/);
  });

  it('fails a plugin whose getPostByUrl accepts another account’s post as this account’s', () => {
    const out = runBroken(`const get = plugin.getPostByUrl;
plugin.getPostByUrl = async (ctx, url) => (await get(ctx, url)) ?? (await plugin.listPosts(ctx, {})).posts[0] ?? null;`);
    assert.match(out, /✖ finds this account’s posts by URL, and never another account’s post or garbage/);
    assert.match(out, /another account's post \(https:\/\/www\.example\.com\/p\/[^)]+\) must give null/);
  });

  it('fails a plugin that reports the daily list quota as a transient error', () => {
    const out = runBroken(`const list = plugin.listPosts;
plugin.listPosts = async (ctx, p) => { try { return await list(ctx, p); } catch (e) { if (sdk.errorKind(e) === 'rate_limited') throw new sdk.TransientError(); throw e; } };`);
    assert.match(out, /✖ answers the platform quota error as RateLimited once the declared daily quota is spent/);
    assert.match(out, /expected rate_limited, got transient/);
  });

  it('fails a plugin whose render ignores the title limit', () => {
    const out = runBroken(`const render = plugin.render;
plugin.render = (input, ctx) => { const r = render(input, ctx); return { ...r, violations: r.violations.filter((v) => !v.constraint.startsWith('title')) }; };`);
    assert.match(out, /✖ respects every declared constraint/);
    assert.match(out, /title counts \d+ ([<>] max 30|< min 1) without a violation naming title/);
  });
});
