import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The least randomness a secret key must show, in bits (the key signs tokens and derives vault keys). */
export const SECRET_KEY_MIN_BITS = 128;

/** The file beside the embedded database that keeps the generated key. */
export const SECRET_KEY_FILE = 'secret.key';

// Placeholder words people paste into examples; a random key never contains them.
const PLACEHOLDERS = ['password', 'passw0rd', 'changeme', 'change-me', 'secret', 'example', 'qwerty', 'letmein'];

/**
 * Why `key` is too weak to sign tokens and derive keys, in one short phrase (Chinese first), or
 * null when it looks random enough. Never includes the key. The estimate is deliberately simple:
 * a repeated character or pattern, a placeholder word, a run of neighbouring characters, or fewer
 * than 128 bits by the smaller of length × log2(distinct symbols) and length × Shannon entropy
 * per symbol. A key from `openssl rand -hex 32` (about 240 bits by either) passes.
 */
export function secretKeyWeakness(key: string): string | null {
  const chars = [...key];
  const n = chars.length;
  if (n === 0) return '为空 / empty';
  const period = smallestPeriod(chars);
  if (period <= n / 2) return '由重复的字符或模式组成 / a repeated character or pattern';
  const lower = key.toLowerCase();
  if (PLACEHOLDERS.some((w) => lower.includes(w))) return '含有常见的占位词 / contains a well-known placeholder word';
  let neighbours = 0;
  for (let i = 1; i < n; i++) if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) <= 1) neighbours++;
  if (neighbours * 2 >= n - 1) return '多为相邻的字符序列 / mostly runs of neighbouring characters';
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let shannon = 0;
  for (const k of counts.values()) shannon -= (k / n) * Math.log2(k / n);
  const bits = Math.floor(Math.min(n * Math.log2(counts.size), n * shannon));
  if (bits < SECRET_KEY_MIN_BITS)
    return `随机性不足（约 ${bits} 位，至少需 ${SECRET_KEY_MIN_BITS} 位）/ too little randomness (about ${bits} bits, needs ${SECRET_KEY_MIN_BITS})`;
  return null;
}

/** The length of the shortest block that, repeated, spells `chars` (its length when none does). */
function smallestPeriod(chars: string[]): number {
  // KMP failure function: n - border is the smallest period.
  const n = chars.length;
  const fail = new Array<number>(n).fill(0);
  for (let i = 1, k = 0; i < n; i++) {
    while (k > 0 && chars[i] !== chars[k]) k = fail[k - 1]!;
    if (chars[i] === chars[k]) k++;
    fail[i] = k;
  }
  return n - fail[n - 1]!;
}

/** Where the embedded start keeps its generated key: beside the SQLite file, or null for MySQL or :memory:. */
export function secretKeyFileFor(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const file = databaseUrl.slice('sqlite:'.length);
  if (file === ':memory:') return null;
  return join(dirname(resolve(file)), SECRET_KEY_FILE);
}

/**
 * Reads the key kept in `file`, or generates a random one and keeps it there (mode 0600), so
 * tokens and sealed credentials survive a restart. Two processes starting at once agree: the
 * loser of the exclusive create reads the winner's key.
 */
export function loadOrCreateSecretKey(file: string): { key: string; created: boolean } {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const fresh = randomBytes(32).toString('hex');
  // Written whole to a private temporary file, then linked into place: the link fails if the key
  // exists, so a concurrent start never reads a half-written key and never replaces one.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
    return { key: fresh, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  // Kept by an earlier start: readable by its owner only, whatever a copy or an umask did to it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return { key: readFileSync(file, 'utf8').trim(), created: false };
}
