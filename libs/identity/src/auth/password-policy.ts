import { IdentityError, IdentityException } from '../identity.exception';

/**
 * Complexity rules in line with 等保 2.0 level 3 practice: at least 10 characters, three of the
 * four character classes, no username inside, no long runs of one character.
 */
export function checkPasswordComplexity(password: string, username: string): void {
  const reasons: string[] = [];
  if (password.length < 10) reasons.push('至少 10 个字符 / at least 10 characters');
  if (password.length > 128) reasons.push('最多 128 个字符 / at most 128 characters');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) reasons.push('须包含大写字母、小写字母、数字、符号中的三类 / three of upper, lower, digit, symbol');
  if (username && password.toLowerCase().includes(username.toLowerCase())) reasons.push('不能包含用户名 / must not contain the username');
  if (/(.)\1{3,}/.test(password)) reasons.push('不能有 4 个以上连续相同字符 / no character repeated 4 times in a row');
  if (reasons.length > 0) {
    throw new IdentityException(IdentityError.PasswordTooWeak, { reason: reasons.join('；') }, [
      { field: 'password', message: reasons.join('；') },
    ]);
  }
}
