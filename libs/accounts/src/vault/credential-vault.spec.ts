import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CredentialVault, VaultError } from './credential-vault';

const key = (id: string) => ({ id, material: randomBytes(32) });
const secret = { appid: 'wx1234567890abcdef', secret: 'S3cr3t-Value-Never-Logged' };

for (const algorithm of ['aes-256-gcm', 'sm4-ctr-hmac-sm3'] as const) {
  describe(`credential vault (${algorithm})`, () => {
    it('round-trips credentials and keeps no plaintext in the sealed form', () => {
      const v = new CredentialVault([key('k1')], algorithm);
      const s = v.seal('acc-1', secret);
      assert.equal(s.keyId, 'k1');
      assert.ok(!s.sealed.includes('S3cr3t') && !Buffer.from(s.sealed.split('.')[2]!, 'base64url').toString().includes('S3cr3t'));
      assert.deepEqual(v.open('acc-1', s), secret);
    });

    it('refuses a ciphertext moved to another account', () => {
      const v = new CredentialVault([key('k1')], algorithm);
      const s = v.seal('acc-1', secret);
      assert.throws(() => v.open('acc-2', s), VaultError);
    });

    it('refuses an altered ciphertext', () => {
      const v = new CredentialVault([key('k1')], algorithm);
      const s = v.seal('acc-1', secret);
      const [iv, tag, ct] = s.sealed.split('.');
      const bytes = Buffer.from(ct!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      assert.throws(() => v.open('acc-1', { ...s, sealed: [iv, tag, bytes.toString('base64url')].join('.') }), VaultError);
    });

    it('opens values sealed under an older key after rotation and reports them stale', () => {
      const k1 = key('k1');
      const k2 = key('k2');
      const old = new CredentialVault([k1], algorithm).seal('acc-1', secret);
      const rotated = new CredentialVault([k2, k1], algorithm);
      assert.equal(rotated.isStale(old), true);
      assert.deepEqual(rotated.open('acc-1', old), secret);
      const fresh = rotated.seal('acc-1', secret);
      assert.equal(fresh.keyId, 'k2');
      assert.equal(rotated.isStale(fresh), false);
      assert.throws(() => new CredentialVault([k2], algorithm).open('acc-1', old), /not in the key ring/);
    });
  });
}

describe('credential vault configuration', () => {
  it('parses a key ring from TONGFA_VAULT_KEYS with the first key current', () => {
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64url');
    const v = CredentialVault.fromConfig(`new:${b},old:${a}`, 'x'.repeat(32), 'sm4');
    assert.equal(v.currentKeyId, 'new');
    assert.equal(v.currentAlgorithm, 'sm4-ctr-hmac-sm3');
  });

  it('derives a stable key from the secret when no ring is configured', () => {
    const s = CredentialVault.fromConfig(undefined, 'y'.repeat(32), 'aes-256-gcm').seal('a', { t: 1 });
    assert.deepEqual(CredentialVault.fromConfig(undefined, 'y'.repeat(32), 'aes-256-gcm').open('a', s), { t: 1 });
  });
});
