import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PluginCallError } from '@tongfa/plugins';
import { publicReason } from './public-reason';

describe('publicReason (what an editor reads about a failed platform call)', () => {
  it('never repeats the plugin message, which may quote the platform response', () => {
    const err = new PluginCallError('permanent', 'errmsg: internal host db01 password=hunter2 <script>x</script>', { platformCode: 40001 });
    const text = publicReason(err);
    assert.equal(text, '平台拒绝了本次请求（平台错误码 40001）');
    assert.doesNotMatch(text, /hunter2|db01|script/);
  });

  it('repeats a platform code only when it is a short token', () => {
    const err = new PluginCallError('transient', 'x', { platformCode: 'see http://10.0.0.1/debug?trace=' + 'a'.repeat(50) });
    assert.equal(publicReason(err), '平台暂时不可用');
  });

  it('gives the platform review verdict as bounded plain text, and constraint findings', () => {
    const verdict = new PluginCallError('rejected_by_review', 'raw', { reason: `<b>含有\n违规</b>内容${'很'.repeat(300)}` });
    const text = publicReason(verdict);
    assert.match(text, /^平台审核未通过：含有 违规内容很/);
    assert.ok(text.length < 140, text);
    const invalid = new PluginCallError('content_invalid', 'raw', { violations: [{ constraint: 'title.max', message: '标题超过 64 字' }] });
    assert.equal(publicReason(invalid), '稿件不符合平台要求：标题超过 64 字');
  });

  it('names what the host itself decided: egress refused, timeout, not connected', () => {
    assert.equal(publicReason(new PluginCallError('permanent', 'x', { egressRefused: true })), '插件试图访问不允许的地址，已拦截');
    assert.equal(publicReason(new PluginCallError('ambiguous', 'x', { timedOut: true })), '平台响应超时');
    assert.equal(publicReason(undefined), '原因不明');
    assert.equal(publicReason(new PluginCallError('permanent', '文件不属于本单位 / not ours', { byHost: true })), '文件不属于本单位');
  });
});
