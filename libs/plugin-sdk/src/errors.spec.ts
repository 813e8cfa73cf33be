import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as errors from './errors';
import {
  AmbiguousError,
  ContentInvalidError,
  errorKind,
  isPluginError,
  RateLimitedError,
  RejectedByReviewError,
  TransientError,
} from './errors';

describe('plugin errors', () => {
  it('are recognised by brand and kind, not instanceof, across copies of the SDK', () => {
    // A plugin bundling its own SDK copy: load errors.js again as a separate module instance.
    const path = require.resolve('./errors');
    const saved = require.cache[path];
    delete require.cache[path];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const foreign = require('./errors') as typeof errors;
    require.cache[path] = saved;
    const e = new foreign.RateLimitedError(3000);
    assert.notEqual(foreign.RateLimitedError, RateLimitedError);
    assert.equal(e instanceof RateLimitedError, false);
    assert.equal(isPluginError(e), true);
    assert.equal(errorKind(e), 'rate_limited');
    assert.equal((e as { retryAfterMs?: number }).retryAfterMs, 3000);
  });

  it('do not mistake look-alikes for plugin errors', () => {
    assert.equal(isPluginError(Object.assign(new Error('x'), { kind: 'transient' })), false);
    assert.equal(isPluginError({ __tongfaPluginError: 1, kind: 'made_up' }), false);
    assert.equal(errorKind(new TypeError('fetch failed')), undefined);
    assert.equal(errorKind(null), undefined);
  });

  it('carry Chinese-first messages with English and serialise what the host stores', () => {
    const e = new ContentInvalidError([{ constraint: 'title.max', message: '标题超长', limit: 32, actual: 40 }], { platformCode: 45003 });
    assert.match(e.message, /^内容不符合平台要求：title\.max \/ content breaks platform rules: title\.max$/);
    assert.deepEqual(e.toJSON(), {
      kind: 'content_invalid',
      message: e.message,
      platformCode: 45003,
      violations: [{ constraint: 'title.max', message: '标题超长', limit: 32, actual: 40 }],
    });
    assert.equal(new RejectedByReviewError('涉嫌违规').toJSON().reason, '涉嫌违规');
    assert.match(new TransientError({ zh: '系统繁忙', en: 'busy' }).message, /^系统繁忙 \/ busy$/);
  });

  it('keep the cause for logs and a stable kind per class', () => {
    const cause = new Error('socket hang up');
    const e = new AmbiguousError({ cause });
    assert.equal(e.cause, cause);
    assert.equal(e.kind, 'ambiguous');
    assert.equal(e.name, 'AmbiguousError');
    assert.ok(
      Object.keys(e).every((k) => k !== errors.PLUGIN_ERROR_BRAND),
      'the brand must not be enumerable',
    );
  });
});
