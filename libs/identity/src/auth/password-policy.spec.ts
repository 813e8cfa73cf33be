import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPasswordComplexity } from './password-policy';
import { IdentityException } from '../identity.exception';

describe('password complexity', () => {
  it('accepts 10+ characters from three classes', () => {
    assert.doesNotThrow(() => checkPasswordComplexity('Tongfa#2026demo', 'editor'));
  });

  for (const [pw, why] of [
    ['Short#1a', 'too short'],
    ['alllowercase123', 'two classes'],
    ['Editor#20261', 'contains the username'],
    ['Aaaaa#12345', 'four repeated characters'],
  ] as const) {
    it(`refuses a password that is ${why}, naming the field`, () => {
      assert.throws(
        () => checkPasswordComplexity(pw, 'editor'),
        (e: unknown) => e instanceof IdentityException && e.code === 'PASSWORD_TOO_WEAK' && e.details[0]?.field === 'password',
      );
    });
  }
});
