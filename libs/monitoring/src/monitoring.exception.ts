import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum MonitoringError {
  NotPermitted = 'MONITORING_NOT_PERMITTED',
  UnitNotFound = 'MONITORING_UNIT_NOT_FOUND',
  AccountNotFound = 'MONITORING_ACCOUNT_NOT_FOUND',
}

export class MonitoringException extends defineDomainErrors<MonitoringError>({
  [MonitoringError.NotPermitted]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '无权查看账号监测', en: 'You may not view account monitoring' },
  },
  [MonitoringError.UnitNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '单位不存在或不在您的管辖范围内', en: 'Unit not found in your scope' },
  },
  [MonitoringError.AccountNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '账号不存在、未纳入监测或不在您的管辖范围内', en: 'Account not found, not monitored or not in your scope' },
  },
}) {}
