import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum AlertError {
  NotFound = 'ALERT_NOT_FOUND',
}

export class AlertException extends defineDomainErrors<AlertError>({
  [AlertError.NotFound]: { kind: ErrorKind.NotFound, message: { zh: '值班提醒不存在或无权访问', en: 'Alert not found' } },
}) {}
