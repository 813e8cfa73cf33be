import { defineDomainErrors, ErrorKind } from './domain.exception';

export enum CommonError {
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  Forbidden = 'FORBIDDEN',
  Unauthenticated = 'UNAUTHENTICATED',
  SpreadsheetRefused = 'SPREADSHEET_REFUSED',
  SpreadsheetUnreadable = 'SPREADSHEET_UNREADABLE',
}

export class CommonException extends defineDomainErrors<CommonError>({
  [CommonError.ValidationFailed]: {
    kind: ErrorKind.Invalid,
    message: { zh: '请求参数有误：{fields}', en: 'Invalid request: {fields}' },
  },
  [CommonError.NotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '{resource}不存在或无权访问', en: '{resource} not found' },
  },
  [CommonError.Forbidden]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  },
  [CommonError.Unauthenticated]: {
    kind: ErrorKind.Unauthenticated,
    message: { zh: '请先登录', en: 'Sign-in required' },
  },
  [CommonError.SpreadsheetRefused]: {
    kind: ErrorKind.Invalid,
    message: { zh: '表格文件超出可处理的范围：{reason}', en: 'The spreadsheet is beyond what can be processed: {reason}' },
  },
  [CommonError.SpreadsheetUnreadable]: {
    kind: ErrorKind.Invalid,
    message: { zh: '无法读取表格文件：{reason}', en: 'The spreadsheet cannot be read: {reason}' },
  },
}) {}
