import type { Message } from '@tongfa/core';
import { IdentityError, IdentityException } from '../identity.exception';

/**
 * Complexity rules in line with 等保 2.0 level 3 practice: at least 10 characters, three of the
 * four character classes, no username inside, no long runs of one character.
 */
export function checkPasswordComplexity(password: string, username: string): void {
  const reasons: Message[] = [];
  if (password.length < 10) reasons.push({ zh: '至少 10 个字符', en: 'at least 10 characters' });
  if (password.length > 128) reasons.push({ zh: '最多 128 个字符', en: 'at most 128 characters' });
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) reasons.push({ zh: '须包含大写字母、小写字母、数字、符号中的三类', en: 'three of upper, lower, digit, symbol' });
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    reasons.push({ zh: '不能包含用户名', en: 'must not contain the username' });
  }
  if (/(.)\1{3,}/.test(password)) reasons.push({ zh: '不能有 4 个以上连续相同字符', en: 'no character repeated 4 times in a row' });
  if (reasons.length > 0) {
    const reason = { zh: reasons.map((r) => r.zh).join('；'), en: reasons.map((r) => r.en).join('; ') };
    throw new IdentityException(IdentityError.PasswordTooWeak, { reason }, [{ field: 'password', message: `${reason.zh} / ${reason.en}` }]);
  }
}
