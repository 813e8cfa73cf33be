import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const key = 'k'.repeat(40);

  it('round-trips a value and never stores it in clear', () => {
    const box = new SecretBox(key, 'totp');
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
    assert.equal(box.open(sealed), 'JBSWY3DPEHPK3PXP');
  });

  it('refuses a value sealed for another purpose or altered', () => {
    const sealed = new SecretBox(key, 'totp').seal('secret');
    assert.throws(() => new SecretBox(key, 'other').open(sealed));
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url');
    assert.throws(() => new SecretBox(key, 'totp').open(parts.join('.')));
  });
});
