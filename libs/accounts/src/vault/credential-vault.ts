import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export type VaultAlgorithm = 'aes-256-gcm' | 'sm4-ctr-hmac-sm3';

export interface SealedCredential {
  keyId: string;
  algorithm: VaultAlgorithm;
  sealed: string;
}

export interface VaultKey {
  id: string;
  /** 32 bytes of key material. */
  material: Buffer;
}

/** Thrown for anything that cannot be opened; never carries plaintext or key material. */
export class VaultError extends Error {
  override name = 'VaultError';
}

/**
 * The credential vault: seals an account's credentials under the current key of a key ring, and
 * opens anything sealed under any key still in the ring, so keys rotate without downtime.
 *
 * AES-256-GCM by default; for deployments that need 商用密码 compliance, SM4 in CTR mode with an
 * HMAC-SM3 tag (encrypt-then-MAC), both from Node's OpenSSL. The account id is bound into the
 * authentication, so a ciphertext copied onto another account's row does not open.
 */
export class CredentialVault {
  private readonly keys: Map<string, VaultKey>;

  constructor(
    private readonly ring: VaultKey[],
    private readonly algorithm: VaultAlgorithm,
  ) {
    if (ring.length === 0) throw new VaultError('the vault key ring is empty');
    for (const k of ring) if (k.material.length !== 32) throw new VaultError(`vault key ${k.id} must be 32 bytes`);
    this.keys = new Map(ring.map((k) => [k.id, k]));
  }

  /** Parses TONGFA_VAULT_KEYS (`id:base64,id:base64`, first current) or derives one key from the secret. */
  static fromConfig(spec: string | undefined, secretKey: string, algorithm: 'aes-256-gcm' | 'sm4'): CredentialVault {
    const ring = spec
      ? spec.split(',').map((part) => {
          const [id, b64] = part.split(':') as [string, string];
          return { id, material: Buffer.from(b64, b64.includes('-') || b64.includes('_') ? 'base64url' : 'base64') };
        })
      : [{ id: 'k0', material: Buffer.from(hkdfSync('sha256', secretKey, 'tongfa', 'vault', 32)) }];
    return new CredentialVault(ring, algorithm === 'sm4' ? 'sm4-ctr-hmac-sm3' : 'aes-256-gcm');
  }

  get currentKeyId(): string {
    return this.ring[0]!.id;
  }

  get currentAlgorithm(): VaultAlgorithm {
    return this.algorithm;
  }

  /** True when the row should be re-sealed under the current key and algorithm. */
  isStale(s: Pick<SealedCredential, 'keyId' | 'algorithm'>): boolean {
    return s.keyId !== this.currentKeyId || s.algorithm !== this.algorithm;
  }

  seal(accountId: string, plaintext: Record<string, unknown>): SealedCredential {
    const key = this.ring[0]!;
    const data = Buffer.from(JSON.stringify(plaintext), 'utf8');
    const sealed = this.algorithm === 'aes-256-gcm' ? sealGcm(key, accountId, data) : sealSm4(key, accountId, data);
    return { keyId: key.id, algorithm: this.algorithm, sealed };
  }

  open(accountId: string, s: SealedCredential): Record<string, unknown> {
    const key = this.keys.get(s.keyId);
    if (!key) throw new VaultError(`vault key ${s.keyId} is not in the key ring`);
    try {
      const data = s.algorithm === 'aes-256-gcm' ? openGcm(key, accountId, s.sealed) : openSm4(key, accountId, s.sealed);
      return JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof VaultError) throw e;
      throw new VaultError('credential could not be opened (wrong key, wrong account or altered)');
    }
  }
}

const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

function sealGcm(key: VaultKey, aad: string, data: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key.material, iv);
  c.setAAD(Buffer.from(`${key.id}|${aad}`));
  const ct = Buffer.concat([c.update(data), c.final()]);
  return [b64(iv), b64(c.getAuthTag()), b64(ct)].join('.');
}

function openGcm(key: VaultKey, aad: string, sealed: string): Buffer {
  const [iv, tag, ct] = sealed.split('.');
  if (!iv || !tag || ct === undefined) throw new VaultError('sealed credential has an unknown format');
  const d = createDecipheriv('aes-256-gcm', key.material, unb64(iv));
  d.setAAD(Buffer.from(`${key.id}|${aad}`));
  d.setAuthTag(unb64(tag));
  return Buffer.concat([d.update(unb64(ct)), d.final()]);
}

function sm4Keys(key: VaultKey): { enc: Buffer; mac: Buffer } {
  return {
    enc: Buffer.from(hkdfSync('sm3', key.material, 'tongfa-vault', 'sm4-enc', 16)),
    mac: Buffer.from(hkdfSync('sm3', key.material, 'tongfa-vault', 'sm3-mac', 32)),
  };
}

function sm4Tag(mac: Buffer, keyId: string, aad: string, iv: Buffer, ct: Buffer): Buffer {
  return createHmac('sm3', mac).update(`${keyId}|${aad}|`).update(iv).update(ct).digest();
}

function sealSm4(key: VaultKey, aad: string, data: Buffer): string {
  const { enc, mac } = sm4Keys(key);
  const iv = randomBytes(16);
  const c = createCipheriv('sm4-ctr', enc, iv);
  const ct = Buffer.concat([c.update(data), c.final()]);
  return [b64(iv), b64(sm4Tag(mac, key.id, aad, iv, ct)), b64(ct)].join('.');
}

function openSm4(key: VaultKey, aad: string, sealed: string): Buffer {
  const [iv, tag, ct] = sealed.split('.');
  if (!iv || !tag || ct === undefined) throw new VaultError('sealed credential has an unknown format');
  const { enc, mac } = sm4Keys(key);
  const expected = sm4Tag(mac, key.id, aad, unb64(iv), unb64(ct));
  const given = unb64(tag);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new VaultError('credential authentication failed');
  const d = createDecipheriv('sm4-ctr', enc, unb64(iv));
  return Buffer.concat([d.update(unb64(ct)), d.final()]);
}
