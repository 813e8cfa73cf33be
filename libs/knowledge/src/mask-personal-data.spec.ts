import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maskPersonalData } from './mask-personal-data';

describe('masking personal data in questions', () => {
  const today = new Date('2026-12-01T00:00:00Z');

  it('replaces mobile, ID and bank card numbers, full width included', () => {
    const out = maskPersonalData('社保卡丢了，电话13800138000，身份证110101199003074514，卡号6222 0212 3456 7890 128', today);
    assert.ok(!/13800138000|110101199003074514|6222/.test(out), out);
    assert.match(out, /\[手机号\].*\[身份证号\].*\[银行卡号\]/);
    assert.equal(maskPersonalData('电话：１３８００１３８０００', today), '电话：[手机号]');
  });

  it('leaves other numbers (hotlines, years, amounts) alone', () => {
    assert.equal(maskPersonalData('2026年拨打12345热线，缴费300元', today), '2026年拨打12345热线，缴费300元');
  });
});
