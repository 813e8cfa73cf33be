import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum IdentityError {
  InvalidCredentials = 'INVALID_CREDENTIALS',
  AccountLocked = 'ACCOUNT_LOCKED',
  AccountDisabled = 'ACCOUNT_DISABLED',
  MfaRequired = 'MFA_REQUIRED',
  MfaInvalid = 'MFA_INVALID',
  MfaAlreadyEnabled = 'MFA_ALREADY_ENABLED',
  MfaNotEnrolled = 'MFA_NOT_ENROLLED',
  PasswordChangeRequired = 'PASSWORD_CHANGE_REQUIRED',
  MfaEnrollmentRequired = 'MFA_ENROLLMENT_REQUIRED',
  PasswordTooWeak = 'PASSWORD_TOO_WEAK',
  PasswordReused = 'PASSWORD_REUSED',
  PasswordWrong = 'PASSWORD_WRONG',
  SessionExpired = 'SESSION_EXPIRED',
  RefreshInvalid = 'REFRESH_INVALID',
  RefreshReused = 'REFRESH_REUSED',
  TokenInvalid = 'TOKEN_INVALID',
  UnitNotFound = 'UNIT_NOT_FOUND',
  UserNotFound = 'USER_NOT_FOUND',
  ParentRequired = 'PARENT_REQUIRED',
  RootExists = 'ROOT_EXISTS',
  LevelNotAllowed = 'LEVEL_NOT_ALLOWED',
  CreditCodeInvalid = 'CREDIT_CODE_INVALID',
  CreditCodeTaken = 'CREDIT_CODE_TAKEN',
  RegionCodeInvalid = 'REGION_CODE_INVALID',
  UsernameTaken = 'USERNAME_TAKEN',
  MoveIntoOwnSubtree = 'MOVE_INTO_OWN_SUBTREE',
  RoleNotGrantable = 'ROLE_NOT_GRANTABLE',
  SeparationOfDuties = 'SEPARATION_OF_DUTIES',
  ReviewerLevelRequired = 'REVIEWER_LEVEL_REQUIRED',
  OidcNotConfigured = 'OIDC_NOT_CONFIGURED',
  OidcFailed = 'OIDC_FAILED',
  OidcNoMapping = 'OIDC_NO_MAPPING',
  ApiKeyNotFound = 'API_KEY_NOT_FOUND',
  ApiKeyExpiryPast = 'API_KEY_EXPIRY_PAST',
  ApiKeyNotByKey = 'API_KEY_NOT_BY_KEY',
  ApiKeyNoGrants = 'API_KEY_NO_GRANTS',
  MfaRequiredByRole = 'MFA_REQUIRED_BY_ROLE',
  MfaCodeWrong = 'MFA_CODE_WRONG',
  MfaReplayed = 'MFA_REPLAYED',
  UserNotManageable = 'USER_NOT_MANAGEABLE',
  SelfAdministration = 'SELF_ADMINISTRATION',
  SeparatedRoleTarget = 'SEPARATED_ROLE_TARGET',
}

export class IdentityException extends defineDomainErrors<IdentityError>({
  [IdentityError.InvalidCredentials]: {
    kind: ErrorKind.Unauthenticated,
    message: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  },
  [IdentityError.AccountLocked]: {
    kind: ErrorKind.Locked,
    message: {
      zh: '登录失败次数过多，账号已锁定，请于 {until}后重试或联系管理员解锁',
      en: 'Too many failed sign-ins; the account is locked until {until} or until an administrator unlocks it',
    },
  },
  [IdentityError.AccountDisabled]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '账号已停用', en: 'The account is disabled' },
  },
  [IdentityError.MfaRequired]: {
    kind: ErrorKind.Unauthenticated,
    message: {
      zh: '请输入动态验证码（otp）或恢复码（recoveryCode）',
      en: 'A one-time code (otp) or a recovery code (recoveryCode) is required',
    },
  },
  [IdentityError.MfaInvalid]: {
    kind: ErrorKind.Unauthenticated,
    message: { zh: '动态验证码或恢复码不正确', en: 'The one-time code or recovery code is wrong' },
  },
  [IdentityError.MfaAlreadyEnabled]: {
    kind: ErrorKind.Conflict,
    message: { zh: '已启用双因素认证', en: 'Two-factor authentication is already enabled' },
  },
  [IdentityError.MfaNotEnrolled]: {
    kind: ErrorKind.Conflict,
    message: { zh: '请先调用绑定接口获取密钥', en: 'Start the enrolment first to get a secret' },
  },
  [IdentityError.PasswordChangeRequired]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '请先修改密码', en: 'Change your password first' },
  },
  [IdentityError.MfaEnrollmentRequired]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '您的角色要求先绑定双因素认证', en: 'Your role requires two-factor authentication; enrol first' },
  },
  [IdentityError.PasswordTooWeak]: {
    kind: ErrorKind.Invalid,
    message: { zh: '密码不符合复杂度要求：{reason}', en: 'The password is too weak: {reason}' },
  },
  [IdentityError.PasswordReused]: {
    kind: ErrorKind.Invalid,
    message: { zh: '新密码不能与最近五次使用过的密码相同', en: 'The new password must differ from the last five' },
  },
  [IdentityError.PasswordWrong]: {
    kind: ErrorKind.Invalid,
    message: { zh: '当前密码不正确', en: 'The current password is wrong' },
  },
  [IdentityError.SessionExpired]: {
    kind: ErrorKind.Unauthenticated,
    message: { zh: '会话已过期，请重新登录', en: 'The session has expired; sign in again' },
  },
  [IdentityError.RefreshInvalid]: {
    kind: ErrorKind.Unauthenticated,
    message: { zh: '刷新令牌无效', en: 'Invalid refresh token' },
  },
  [IdentityError.RefreshReused]: {
    kind: ErrorKind.Unauthenticated,
    message: {
      zh: '检测到刷新令牌被重复使用，会话已注销，请重新登录',
      en: 'A refresh token was used twice; the session was revoked, sign in again',
    },
  },
  [IdentityError.TokenInvalid]: {
    kind: ErrorKind.Unauthenticated,
    message: { zh: '访问令牌无效或已过期', en: 'The access token is invalid or expired' },
  },
  [IdentityError.UnitNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '单位不存在或不在您的管辖范围内', en: 'Unit not found' },
  },
  [IdentityError.UserNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '用户不存在或不在您的管辖范围内', en: 'User not found' },
  },
  [IdentityError.ParentRequired]: {
    kind: ErrorKind.Invalid,
    message: { zh: '必须指定上级单位（parentId）', en: 'parentId is required' },
  },
  [IdentityError.RootExists]: {
    kind: ErrorKind.Conflict,
    message: { zh: '省级根单位已存在', en: 'The root (province) unit already exists' },
  },
  [IdentityError.LevelNotAllowed]: {
    kind: ErrorKind.Invalid,
    message: { zh: '{parent}下不能设立{level}级单位', en: 'A {level} unit cannot sit under a {parent} unit' },
  },
  [IdentityError.CreditCodeInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '统一社会信用代码格式或校验位不正确', en: 'creditCode is not a valid unified social credit code' },
  },
  [IdentityError.CreditCodeTaken]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该统一社会信用代码已被其他单位使用', en: 'Another unit already has this creditCode' },
  },
  [IdentityError.RegionCodeInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '行政区划代码应为 6 位数字（GB/T 2260）', en: 'regionCode must be a 6-digit GB/T 2260 code' },
  },
  [IdentityError.UsernameTaken]: {
    kind: ErrorKind.Conflict,
    message: { zh: '用户名已存在', en: 'The username is taken' },
  },
  [IdentityError.MoveIntoOwnSubtree]: {
    kind: ErrorKind.Invalid,
    message: { zh: '不能把单位移到其自身的下级', en: 'A unit cannot move under its own subtree' },
  },
  [IdentityError.RoleNotGrantable]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '您无权在该单位授予“{role}”角色', en: 'You may not grant the {role} role at that unit' },
  },
  [IdentityError.SeparationOfDuties]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '三权分立：系统管理员、安全管理员、审计管理员不得由同一人兼任',
      en: 'Separation of duties: one user may not hold two of platform operator, security admin and auditor',
    },
  },
  [IdentityError.ReviewerLevelRequired]: {
    kind: ErrorKind.Invalid,
    message: { zh: '审核角色须指定级别（1–3）', en: 'A reviewer role needs a level (1–3)' },
  },
  [IdentityError.OidcNotConfigured]: {
    kind: ErrorKind.NotFound,
    message: { zh: '未配置统一身份认证', en: 'Single sign-on is not configured' },
  },
  [IdentityError.OidcFailed]: {
    kind: ErrorKind.Unauthenticated,
    message: { zh: '统一身份认证登录失败：{reason}', en: 'Single sign-on failed: {reason}' },
  },
  [IdentityError.OidcNoMapping]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '统一身份认证账号未映射到任何单位或角色', en: 'The single sign-on identity maps to no unit or role' },
  },
  [IdentityError.ApiKeyNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: 'API 密钥不存在', en: 'API key not found' },
  },
  [IdentityError.ApiKeyExpiryPast]: {
    kind: ErrorKind.Invalid,
    message: { zh: '过期时间必须晚于当前时间', en: 'expiresAt must be in the future' },
  },
  [IdentityError.ApiKeyNotByKey]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: 'API 密钥只能由登录用户管理，不能用 API 密钥创建或注销',
      en: 'API keys are managed by signed-in users, not by other keys',
    },
  },
  [IdentityError.ApiKeyNoGrants]: {
    kind: ErrorKind.Invalid,
    message: { zh: 'API 密钥至少需要一个角色授权或一个权限范围', en: 'An API key needs at least one grant or scope' },
  },
  // Enrolment happens inside a valid session: a wrong code is a bad input (400), not a lost sign-in (401).
  [IdentityError.MfaCodeWrong]: {
    kind: ErrorKind.Invalid,
    message: { zh: '动态验证码不正确，请核对手机时间后重试', en: 'The one-time code is wrong; check the phone’s clock and retry' },
  },
  [IdentityError.MfaReplayed]: {
    kind: ErrorKind.Unauthenticated,
    message: {
      zh: '该动态验证码已使用过，请等待身份验证器显示新的验证码后重试',
      en: 'That one-time code was already used; wait for the next code and retry',
    },
  },
  [IdentityError.UserNotManageable]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '您无权管理该用户：该用户担任您无权授予的角色，或在您管辖范围之外的单位担任角色',
      en: 'You may not manage this user: they hold a role you may not grant, or a role at a unit outside your subtree',
    },
  },
  [IdentityError.SelfAdministration]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '不能通过用户管理修改本人的账号或角色；修改本人密码请使用“修改密码”',
      en: 'You cannot change your own account or roles through user administration; change your password under “Change password”',
    },
  },
  [IdentityError.SeparatedRoleTarget]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '三权分立：系统管理员、安全管理员、审计管理员不能修改、停用、解锁、重置密码或调整角色其他“三员”账号',
      en: 'Separation of duties: the platform operator, security admin and auditor may not edit, disable, unlock, reset or re-role one another',
    },
  },
  [IdentityError.MfaRequiredByRole]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '您的角色要求启用双因素认证，不能解除', en: 'Your role requires two-factor authentication; it cannot be removed' },
  },
}) {}
