import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum PluginsError {
  NotLoaded = 'PLUGIN_NOT_LOADED',
  NotConnectable = 'ACCOUNT_NOT_CONNECTABLE',
  UseOAuth = 'ACCOUNT_USES_OAUTH',
  NotOAuth = 'ACCOUNT_NOT_OAUTH',
  CredentialsInvalid = 'CREDENTIALS_INVALID',
  CredentialsRefused = 'CREDENTIALS_REFUSED',
  PlatformUnavailable = 'PLATFORM_UNAVAILABLE',
  AddressRefused = 'PLATFORM_ADDRESS_REFUSED',
  PlatformAccountMismatch = 'PLATFORM_ACCOUNT_MISMATCH',
  PlatformAccountTaken = 'PLATFORM_ACCOUNT_TAKEN',
  OAuthStateInvalid = 'OAUTH_STATE_INVALID',
  OAuthStateUsed = 'OAUTH_STATE_USED',
  OAuthStateExpired = 'OAUTH_STATE_EXPIRED',
  SandboxNotConfigured = 'SANDBOX_NOT_CONFIGURED',
  SandboxInProduction = 'SANDBOX_IN_PRODUCTION',
  SandboxUnavailable = 'SANDBOX_UNAVAILABLE',
}

export class PluginsException extends defineDomainErrors<PluginsError>({
  [PluginsError.NotLoaded]: {
    kind: ErrorKind.NotFound,
    message: { zh: '平台插件“{platform}”未加载', en: 'No plugin is loaded for platform {platform}' },
  },
  [PluginsError.NotConnectable]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '账号状态为“{status}”，须经主管单位批准开设后才能连接平台',
      en: 'The account is {status}; only an opened or active account can be connected',
    },
  },
  [PluginsError.UseOAuth]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '该平台通过 OAuth 授权连接，请使用“连接”按钮',
      en: 'This platform connects through OAuth: use GET /accounts/:id/connect',
    },
  },
  [PluginsError.NotOAuth]: {
    kind: ErrorKind.Invalid,
    message: { zh: '该平台不使用 OAuth，请直接填写凭据', en: 'This platform does not use OAuth: POST the credentials instead' },
  },
  [PluginsError.CredentialsInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '凭据不符合平台要求：{fields}', en: 'The credentials do not match the platform’s form: {fields}' },
  },
  [PluginsError.CredentialsRefused]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '平台未接受这组凭据（{what}），请核对后重新填写',
      en: 'The platform refused these credentials ({what}); check them and try again',
    },
  },
  [PluginsError.PlatformUnavailable]: {
    kind: ErrorKind.Unavailable,
    message: {
      zh: '暂时无法向平台核验，请稍后重试',
      en: 'The platform could not be reached to verify; try again later',
    },
  },
  [PluginsError.SandboxNotConfigured]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '本平台未配置沙箱（TONGFA_SANDBOX_URL），不能把账号指向模拟器',
      en: 'No sandbox is configured (TONGFA_SANDBOX_URL): accounts cannot be pointed at simulators',
    },
  },
  [PluginsError.SandboxInProduction]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '生产环境不允许沙箱账号；确需试用插件时，由运维设置 TONGFA_ALLOW_SANDBOX_ACCOUNTS=1',
      en: 'Sandbox accounts are refused in production; set TONGFA_ALLOW_SANDBOX_ACCOUNTS=1 to allow trying a plugin',
    },
  },
  [PluginsError.SandboxUnavailable]: {
    kind: ErrorKind.Unavailable,
    message: {
      zh: '沙箱没有“{platform}”的模拟器或暂时无法访问',
      en: 'The sandbox has no simulator for {platform}, or cannot be reached',
    },
  },
  [PluginsError.AddressRefused]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '出于安全原因，不能连接该地址：只能连接平台的公网地址，沙箱账号只能连接沙箱；请检查接收地址等设置',
      en: 'Refused for safety: only the platform’s public addresses may be reached (sandbox accounts: only the sandbox); check the address settings',
    },
  },
  [PluginsError.PlatformAccountMismatch]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '授权的平台账号（{got}）不是该账号登记的平台账号（{expected}）',
      en: 'The authorized platform account ({got}) is not the one registered for this account ({expected})',
    },
  },
  [PluginsError.PlatformAccountTaken]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该平台账号已连接到另一个登记账号', en: 'This platform account is already connected to another account' },
  },
  [PluginsError.OAuthStateInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '授权请求无效，请重新发起连接', en: 'Invalid authorization state; start the connection again' },
  },
  [PluginsError.OAuthStateUsed]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该授权请求已使用过，请重新发起连接', en: 'This authorization was already used; start the connection again' },
  },
  [PluginsError.OAuthStateExpired]: {
    kind: ErrorKind.Invalid,
    message: { zh: '授权请求已过期（10 分钟），请重新发起连接', en: 'The authorization expired (10 minutes); start the connection again' },
  },
}) {}
