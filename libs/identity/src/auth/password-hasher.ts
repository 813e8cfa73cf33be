import { hash, verify, Algorithm } from '@node-rs/argon2';

/** The password hashing port; argon2id is the one adapter. */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(hashed: string, password: string): Promise<boolean>;
}

/** argon2id with OWASP's second recommended profile (19 MiB, t=2, p=1). */
export class Argon2PasswordHasher extends PasswordHasher {
  async hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }
  async verify(hashed: string, password: string): Promise<boolean> {
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  }
}
