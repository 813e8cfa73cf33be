/** Checks of personal identifiers (who they are issued to is never looked at). */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * A valid 18-digit resident identity number (GB 11643-1999): a 6-digit region code, a real
 * date of birth (YYYYMMDD, not before 1900 and not after `today`), a 3-digit sequence and the
 * ISO 7064 MOD 11-2 check character.
 */
export function isResidentId(value: string, today: Date = new Date()): boolean {
  if (!/^[1-9]\d{16}[\dX]$/i.test(value)) return false;
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return false;
  if (birth.getTime() > today.getTime()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === value[17].toUpperCase();
}

/** The check character an identity number's first 17 digits call for. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/** Luhn (mod 10) check of a card number of digits only. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit to append to `payload`. */
export function luhnCheckDigit(payload: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(payload + d)) return String(d);
  throw new Error('unreachable');
}

/** A bank card number: 16 to 19 digits passing Luhn. */
export function isBankCard(digits: string): boolean {
  return /^\d{16,19}$/.test(digits) && luhnValid(digits);
}

/** A mainland mobile number: 11 digits, 1 then 3–9 (the number ranges MIIT allocates). */
export function isMobile(digits: string): boolean {
  return /^1[3-9]\d{9}$/.test(digits);
}
