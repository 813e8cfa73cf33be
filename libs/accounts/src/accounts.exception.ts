import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum AccountError {
  NotFound = 'ACCOUNT_NOT_FOUND',
  UnitNotFound = 'ACCOUNT_UNIT_NOT_FOUND',
  UnknownPlatform = 'UNKNOWN_PLATFORM',
  OnePerPlatform = 'ONE_ACCOUNT_PER_PLATFORM',
  NotPending = 'APPROVAL_NOT_PENDING',
  SelfApproval = 'SELF_APPROVAL',
  NotAbove = 'SUPERVISOR_NOT_ABOVE',
  BadTransition = 'BAD_TRANSITION',
  FilingNotFound = 'FILING_NOT_FOUND',
  FilingAlreadyFiled = 'FILING_ALREADY_FILED',
  EffectiveInFuture = 'EFFECTIVE_IN_FUTURE',
  ImportInvalid = 'IMPORT_INVALID',
  ImportUnreadable = 'IMPORT_UNREADABLE',
  UnknownSetting = 'UNKNOWN_SETTING',
  SettingsIncomplete = 'ACCOUNT_SETTINGS_INCOMPLETE',
}

export class AccountException extends defineDomainErrors<AccountError>({
  [AccountError.NotFound]: { kind: ErrorKind.NotFound, message: { zh: '账号不存在或不在您的管辖范围内', en: 'Account not found' } },
  [AccountError.UnitNotFound]: { kind: ErrorKind.NotFound, message: { zh: '单位不存在或不在您的管辖范围内', en: 'Unit not found' } },
  [AccountError.UnknownPlatform]: {
    kind: ErrorKind.Invalid,
    message: { zh: '不支持的平台：{platform}', en: 'Unknown platform: {platform}' },
  },
  [AccountError.OnePerPlatform]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '一个单位原则上在同一平台只开设一个账号；确需开设请填写例外理由（exceptionReason），由主管单位审批',
      en: 'A unit runs one account per platform; give an exceptionReason for the supervisor to approve',
    },
  },
  [AccountError.NotPending]: { kind: ErrorKind.Conflict, message: { zh: '该申请已处理', en: 'The request was already decided' } },
  [AccountError.SelfApproval]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '不能审批本人提交的申请', en: 'You cannot decide your own request' },
  },
  [AccountError.NotAbove]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有该单位的上级主管单位可以审批', en: 'Only a supervisor above the unit may decide' },
  },
  [AccountError.BadTransition]: {
    kind: ErrorKind.Conflict,
    message: { zh: '账号当前状态“{from}”不能变更为“{to}”', en: 'An account cannot go from {from} to {to}' },
  },
  [AccountError.FilingNotFound]: { kind: ErrorKind.NotFound, message: { zh: '备案记录不存在', en: 'Filing not found' } },
  [AccountError.FilingAlreadyFiled]: { kind: ErrorKind.Conflict, message: { zh: '该事项已备案', en: 'Already filed' } },
  [AccountError.EffectiveInFuture]: {
    kind: ErrorKind.Invalid,
    message: { zh: '生效日期不能晚于今天', en: 'effectiveAt cannot be in the future' },
  },
  [AccountError.ImportInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '导入表格有 {count} 处错误，未导入任何数据', en: 'The sheet has {count} errors; nothing was imported' },
  },
  [AccountError.UnknownSetting]: {
    kind: ErrorKind.Invalid,
    message: { zh: '该平台插件没有这些设置项：{names}', en: 'The platform’s plugin has no such settings: {names}' },
  },
  [AccountError.SettingsIncomplete]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '{platform}账号的设置不完整，无法发布：{problems}',
      en: 'The {platformEn} account’s settings cannot publish: {problemsEn}',
    },
  },
  [AccountError.ImportUnreadable]: {
    kind: ErrorKind.Invalid,
    message: { zh: '无法读取 Excel 文件：{reason}', en: 'The Excel file cannot be read: {reason}' },
  },
}) {}
