import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidCreditCode, isValidRegionCode, makeCreditCode } from './credit-code';

describe('统一社会信用代码 validation', () => {
  it('accepts the worked example of GB 32100-2015 with its correct check character', () => {
    assert.equal(isValidCreditCode('91350100M000100Y43'), true);
  });

  it('rejects the worked example as printed with a wrong check character (Z instead of 3)', () => {
    assert.equal(isValidCreditCode('91350100M000100Y4Z'), false);
  });

  it('rejects letters outside the alphabet (I, O, S, V, Z) and wrong lengths', () => {
    assert.equal(isValidCreditCode('11440000006939913I'), false);
    assert.equal(isValidCreditCode('1144000000693991'), false);
  });

  it('makes codes that validate, and any single-character change breaks them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 17 }), (serial, pos) => {
        const code = makeCreditCode('440100', serial);
        assert.equal(isValidCreditCode(code), true);
        const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
        const replacement = alphabet[(alphabet.indexOf(code[pos]!) + 1) % alphabet.length]!;
        const changed = code.slice(0, pos) + replacement + code.slice(pos + 1);
        assert.equal(isValidCreditCode(changed), false);
      }),
    );
  });

  it('checks region codes are six digits not starting with 0', () => {
    assert.equal(isValidRegionCode('440100'), true);
    assert.equal(isValidRegionCode('040100'), false);
    assert.equal(isValidRegionCode('44010'), false);
  });
});
