// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet. Characters 9–17
// are the organisation code (GB 11714, with its own check character in position 17); the last
// character checks the first 17 with fixed weights, modulo 31.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function orgCodeCheckChar(first8: string): string | null {
  if (first8.length !== 8) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = ORG_ALPHABET.indexOf(first8[i]!);
    if (v < 0) return null;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  if (orgCodeCheckChar(code.slice(8, 16)) !== code[16]) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/**
 * Builds a valid code for a government organ (登记管理部门 1 机构编制, 类别 1 机关) from a region
 * code and a serial; used by the demo and by test factories.
 */
export function makeCreditCode(regionCode: string, serial: number): string {
  const org8 = String(serial % 1e8).padStart(8, '0');
  const first17 = `11${regionCode}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + creditCodeCheckChar(first17);
}

/** GB/T 2260 region codes are six digits: province (2), prefecture (2), county (2). */
export function isValidRegionCode(code: string): boolean {
  return /^[1-9]\d{5}$/.test(code);
}
