import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldLabel, localizeText } from './error-text';

describe('error texts a person reads', () => {
  it('keeps the half of a “中文 / English” text in the reader’s language', () => {
    const t = '不是本单位的账号 / not an account of the manuscript’s unit';
    assert.equal(localizeText(t, 'zh'), '不是本单位的账号');
    assert.equal(localizeText(t, 'en'), 'not an account of the manuscript’s unit');
  });

  it('leaves texts of one language, and slashes inside values, whole', () => {
    assert.equal(localizeText('标题不能为空', 'zh'), '标题不能为空');
    assert.equal(localizeText('title must not be empty', 'en'), 'title must not be empty');
    assert.equal(localizeText('链接 https://a.gov.cn/x / y 无法访问', 'zh'), '链接 https://a.gov.cn/x / y 无法访问');
    assert.equal(localizeText('a / b', 'zh'), 'a / b');
  });

  it('names fields as a person knows them, with positions counted from one', () => {
    assert.equal(fieldLabel('accountIds[5]', 'zh'), '发布账号第 6 项');
    assert.equal(fieldLabel('accountIds[5]', 'en'), 'accounts #6');
    assert.equal(fieldLabel('source.unitName', 'zh'), '来源 › 来源单位');
    assert.equal(fieldLabel('creditCode', 'zh'), '统一社会信用代码');
    assert.equal(fieldLabel('chains[0].steps', 'zh'), '审核流程第 1 项 › 审核环节');
  });

  it('names a duty schedule’s layers, people and escalation steps by position, in either path form', () => {
    assert.equal(fieldLabel('layers[0].userIds[1]', 'zh'), '第 1 层值班人第 2 位');
    assert.equal(fieldLabel('layers.0.userIds.1', 'zh'), '第 1 层值班人第 2 位');
    assert.equal(fieldLabel('layers.0.userIds.1', 'en'), 'layer 1, person 2');
    assert.equal(fieldLabel('layers.1.userIds', 'zh'), '第 2 层值班人');
    assert.equal(fieldLabel('layers.2.handoff', 'zh'), '第 3 层交接时间');
    assert.equal(fieldLabel('layers.2.handoff', 'en'), 'layer 3, handoff');
    assert.equal(fieldLabel('policy.steps.0.notify.userId', 'zh'), '升级第 1 步通知人员');
    assert.equal(fieldLabel('policy.steps.1.afterMinutes', 'en'), 'escalation step 2, minutes to wait');
    assert.equal(fieldLabel('policy.repeat', 'zh'), '重复次数');
    assert.equal(fieldLabel('layers', 'zh'), '值班层');
    // A review chain's steps keep their own name.
    assert.equal(fieldLabel('chains.0.steps', 'zh'), '审核流程第 1 项 › 审核环节');
  });

  it('keeps an unknown field’s own name rather than dropping it', () => {
    assert.equal(fieldLabel('settings.safeDomain', 'zh'), '账号设置 › safeDomain');
    assert.equal(fieldLabel('weird-path!', 'zh'), 'weird-path!');
  });
});
