/**
 * The spot-check draw, pure so anyone can repeat it from a round's recorded inputs.
 *
 * Algorithm `strata-mulberry32/1`:
 * 1. The population (active accounts under the root when the round opened) is split into strata by
 *    `platform|unitLevel`; inside each stratum accounts are sorted by account id (byte order).
 * 2. Each stratum draws n = ceil(ratio × size) accounts (at least one from a non-empty stratum, never
 *    more than its size), so every stratum meets the ratio on its own.
 * 3. The stratum's generator is mulberry32 (Tommy Ettinger's 32-bit generator, public domain) seeded
 *    with the 32-bit FNV-1a hash of the UTF-8 text `<seed>|<stratum key>`; a Fisher–Yates shuffle
 *    run for n steps from the front (swap position i with i + floor(next() × (size − i))) puts the
 *    drawn accounts in positions 0…n−1.
 * Seeding per stratum keeps a stratum's draw independent of the others.
 */
export const SAMPLING_ALGORITHM = 'strata-mulberry32/1';

export interface PopulationMember {
  accountId: string;
  platform: string;
  level: string;
}

export interface StratumDraw {
  key: string;
  platform: string;
  level: string;
  size: number;
  drawn: number;
  /** The drawn account ids in draw order. */
  accountIds: string[];
}

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a generator of floats in [0, 1) from a 32-bit state. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const stratumKey = (platform: string, level: string) => `${platform}|${level}`;

/** How many of a stratum of `size` a ratio draws: ceil, tolerant of binary fractions (0.3 × 10 = 3.0000000000000004). */
export function drawCount(size: number, ratio: number): number {
  if (size <= 0) return 0;
  return Math.min(size, Math.max(1, Math.ceil(ratio * size - 1e-9)));
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Draws the stratified sample; strata come back sorted by key. */
export function drawSample(population: readonly PopulationMember[], ratio: number, seed: string): StratumDraw[] {
  if (!(ratio > 0 && ratio <= 1)) throw new RangeError('ratio must be in (0, 1]');
  const strata = new Map<string, PopulationMember[]>();
  for (const m of population) {
    const key = stratumKey(m.platform, m.level);
    (strata.get(key) ?? strata.set(key, []).get(key)!).push(m);
  }
  return [...strata.keys()].sort(byId).map((key) => {
    const members = strata.get(key)!;
    const ids = members.map((m) => m.accountId).sort(byId);
    const n = drawCount(ids.length, ratio);
    const next = mulberry32(fnv1a32(`${seed}|${key}`));
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(next() * (ids.length - i));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    return { key, platform: members[0]!.platform, level: members[0]!.level, size: ids.length, drawn: n, accountIds: ids.slice(0, n) };
  });
}
