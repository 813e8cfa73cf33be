import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum SupervisionError {
  NotSupervisor = 'SPOT_CHECK_NOT_SUPERVISOR',
  RootNotFound = 'SPOT_CHECK_ROOT_NOT_FOUND',
  RatioTooLow = 'SPOT_CHECK_RATIO_TOO_LOW',
  PeriodInvalid = 'SPOT_CHECK_PERIOD_INVALID',
  NoAccounts = 'SPOT_CHECK_NO_ACCOUNTS',
  NotFound = 'SPOT_CHECK_NOT_FOUND',
  NotSampled = 'SPOT_CHECK_ACCOUNT_NOT_SAMPLED',
  ItemInvalid = 'SPOT_CHECK_ITEM_INVALID',
  DeadlineInvalid = 'SPOT_CHECK_DEADLINE_INVALID',
  RectificationNotFound = 'RECTIFICATION_NOT_FOUND',
  NotYourOrder = 'RECTIFICATION_NOT_YOURS',
  NotAnswerable = 'RECTIFICATION_NOT_ANSWERABLE',
  NotReviewable = 'RECTIFICATION_NOT_REVIEWABLE',
  EvidenceInvalid = 'RECTIFICATION_EVIDENCE_INVALID',
  BrowserUnavailable = 'SUPERVISION_BROWSER_UNAVAILABLE',
  RankingUnitNotFound = 'RANKING_UNIT_NOT_FOUND',
  NotPermitted = 'SUPERVISION_NOT_PERMITTED',
}

export class SupervisionException extends defineDomainErrors<SupervisionError>({
  [SupervisionError.NotSupervisor]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有主管单位可以发起抽查和复核整改', en: 'Only a supervisor may open spot checks and re-check rectifications' },
  },
  [SupervisionError.RootNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '抽查范围单位不存在或不在您的管辖范围内', en: 'The root unit does not exist in your subtree' },
  },
  [SupervisionError.RatioTooLow]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '抽查比例不得低于{jurisdiction}要求的 {min}',
      en: 'The ratio may not be below the {min} that {jurisdiction} requires',
    },
  },
  [SupervisionError.PeriodInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '抽查周期无效：{reason}', en: 'Invalid period: {reason}' },
  },
  [SupervisionError.NoAccounts]: {
    kind: ErrorKind.Invalid,
    message: { zh: '抽查范围内没有在用的账号', en: 'No active account under the root unit' },
  },
  [SupervisionError.NotFound]: { kind: ErrorKind.NotFound, message: { zh: '抽查轮次不存在或无权访问', en: 'Spot-check round not found' } },
  [SupervisionError.NotSampled]: {
    kind: ErrorKind.Invalid,
    message: { zh: '账号不在本轮抽查样本中', en: 'The account is not in this round’s sample' },
  },
  [SupervisionError.ItemInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '检查项无效，可选：{items}', en: 'Unknown checklist item; one of: {items}' },
  },
  [SupervisionError.DeadlineInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '整改期限须在 1 至 90 天之内', en: 'The rectification deadline must be 1 to 90 days away' },
  },
  [SupervisionError.RectificationNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '整改通知不存在或无权访问', en: 'Rectification order not found' },
  },
  [SupervisionError.NotYourOrder]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有被通知单位的管理员或采编可以回复整改', en: 'Only the notified unit’s admin or editors may answer' },
  },
  [SupervisionError.NotAnswerable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该整改通知当前状态为“{state}”，不能回复', en: 'The order is {state} and cannot be answered' },
  },
  [SupervisionError.NotReviewable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该整改通知当前状态为“{state}”，不能{decision}', en: 'The order is {state}: it cannot be {decision}' },
  },
  [SupervisionError.EvidenceInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '整改佐证无效：{reason}', en: 'Invalid evidence: {reason}' },
  },
  [SupervisionError.BrowserUnavailable]: {
    kind: ErrorKind.Unavailable,
    message: {
      zh: '无法启动无头浏览器 {path}（由 TONGFA_CHROMIUM 指定），暂不能生成 PDF 或网页快照',
      en: 'Headless Chromium {path} (set by TONGFA_CHROMIUM) cannot be started: no PDF or page snapshot for now',
    },
  },
  [SupervisionError.RankingUnitNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '单位不存在或不在您的管辖范围内', en: 'Unit not found in your scope' },
  },
  [SupervisionError.NotPermitted]: { kind: ErrorKind.Forbidden, message: { zh: '无权查看', en: 'Not permitted' } },
}) {}
