/**
 * Weibo shows a status's numeric id (`mid`, e.g. 3501756485200075) in web addresses as a base62 "mblogid"
 * (`z0JH2lOMb`): the mid is cut into groups of 7 decimal digits from the right, each written in base62
 * with the alphabet 0-9a-zA-Z and padded to 4 characters (all but the first). [S: long-standing
 * community descriptions with this very example; Weibo does not document it.]
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function toBase62(n: bigint): string {
  if (n === 0n) return '0';
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

function fromBase62(s: string): bigint | undefined {
  let n = 0n;
  for (const c of s) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) return undefined;
    n = n * 62n + BigInt(v);
  }
  return n;
}

/** The mblogid of a mid, or undefined when `mid` is not a decimal id. */
export function midToMblogId(mid: string): string | undefined {
  if (!/^\d{1,20}$/.test(mid)) return undefined;
  let out = '';
  for (let end = mid.length; end > 0; end -= 7) {
    const start = Math.max(0, end - 7);
    const part = toBase62(BigInt(mid.slice(start, end)));
    out = (start > 0 ? part.padStart(4, '0') : part) + out;
  }
  return out;
}

/** The mid of a mblogid, or undefined when `id` is not one. */
export function mblogIdToMid(id: string): string | undefined {
  if (!/^[0-9A-Za-z]{1,12}$/.test(id)) return undefined;
  let out = '';
  for (let end = id.length; end > 0; end -= 4) {
    const start = Math.max(0, end - 4);
    const n = fromBase62(id.slice(start, end));
    if (n === undefined || n >= 10_000_000n) return undefined;
    out = (start > 0 ? n.toString().padStart(7, '0') : n.toString()) + out;
  }
  return out.replace(/^0+(?=\d)/, '');
}
