import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum DutyError {
  UnitNotFound = 'DUTY_UNIT_NOT_FOUND',
  NotPermitted = 'DUTY_NOT_PERMITTED',
  UserNotEligible = 'DUTY_USER_NOT_ELIGIBLE',
  OverrideNotFound = 'DUTY_OVERRIDE_NOT_FOUND',
  InvalidRange = 'DUTY_INVALID_RANGE',
  InvalidLayer = 'DUTY_INVALID_LAYER',
}

export class DutyException extends defineDomainErrors<DutyError>({
  [DutyError.UnitNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '单位不存在或不在您的管辖范围内', en: 'Unit not found in your scope' },
  },
  [DutyError.NotPermitted]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '只有本单位或上级单位的单位管理员可以编辑值班表',
      en: 'Only a unit admin of the unit or above may edit its duty schedule',
    },
  },
  [DutyError.UserNotEligible]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '值班人员（{field}）必须是在岗用户，且在本单位或上级单位持有值班或主管角色',
      en: 'The person on duty ({field}) must be an active user holding a duty-officer or supervisor role over the unit',
    },
  },
  [DutyError.OverrideNotFound]: { kind: ErrorKind.NotFound, message: { zh: '替班记录不存在或无权访问', en: 'Override not found' } },
  [DutyError.InvalidRange]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '时间范围无效（{field}）：开始须早于结束，且不超过 {days} 天',
      en: 'Invalid time range ({field}): start before end, at most {days} days',
    },
  },
  [DutyError.InvalidLayer]: {
    kind: ErrorKind.Invalid,
    message: { zh: '值班层设置无效（{field}）', en: 'Invalid schedule layer ({field})' },
  },
}) {}
