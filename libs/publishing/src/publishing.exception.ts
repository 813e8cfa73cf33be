import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum PublishingError {
  NotFound = 'PUBLICATION_NOT_FOUND',
  ManuscriptNotFound = 'PUBLICATION_MANUSCRIPT_NOT_FOUND',
  NotApproved = 'NOT_APPROVED',
  AccountsInvalid = 'PUBLICATION_ACCOUNTS_INVALID',
  RenditionViolations = 'RENDITION_VIOLATIONS',
  ComplianceBlocked = 'PUBLICATION_COMPLIANCE_BLOCKED',
  ScheduleInPast = 'SCHEDULE_IN_PAST',
  CorrectionNotApproved = 'CORRECTION_NOT_APPROVED',
  NothingToCorrect = 'CORRECTION_NOTHING_TO_CORRECT',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  NothingPublishable = 'PUBLICATION_NOTHING_PUBLISHABLE',
  TargetNotFound = 'PUBLICATION_TARGET_NOT_FOUND',
  TargetNotRetryable = 'TARGET_NOT_RETRYABLE',
  TargetUnconfirmed = 'TARGET_UNCONFIRMED_CHECK_FIRST',
  TargetNotRetractable = 'TARGET_NOT_RETRACTABLE',
  ScheduleLocked = 'SCHEDULE_LOCKED',
}

export class PublishingException extends defineDomainErrors<PublishingError>({
  [PublishingError.NotFound]: { kind: ErrorKind.NotFound, message: { zh: '发布记录不存在或无权访问', en: 'Publication not found' } },
  [PublishingError.ManuscriptNotFound]: { kind: ErrorKind.NotFound, message: { zh: '稿件不存在或无权访问', en: 'Manuscript not found' } },
  [PublishingError.NotApproved]: {
    kind: ErrorKind.Conflict,
    message: { zh: '先审后发：稿件当前版本尚未审核通过，不能发布', en: 'Review first: the current version is not approved' },
  },
  [PublishingError.AccountsInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '所选账号不能发布，详见 details', en: 'Some accounts cannot publish; see details' },
  },
  [PublishingError.RenditionViolations]: {
    kind: ErrorKind.Invalid,
    message: { zh: '稿件不符合部分平台的限制，请修改后重新送审', en: 'The manuscript breaks some platforms’ limits' },
  },
  [PublishingError.ComplianceBlocked]: {
    kind: ErrorKind.Invalid,
    message: { zh: '发布前检查发现 {count} 处必须修改的问题', en: 'The pre-publish checks found {count} blocking problems' },
  },
  [PublishingError.ScheduleInPast]: { kind: ErrorKind.Invalid, message: { zh: '定时发布时间已过', en: 'scheduledAt is in the past' } },
  [PublishingError.CorrectionNotApproved]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '先审后发：稿件没有比已发布版本（第 {published} 版）更新且审核通过的版本，请修改稿件并送审通过后再更正',
      en: 'Review first: the manuscript has no approved version newer than the published one (v{published}); edit it and have it approved first',
    },
  },
  [PublishingError.NothingToCorrect]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '该发布没有仍在平台上的稿件可更正（可能已撤回或已被更正）',
      en: 'The publication has no live post to correct (retracted or already corrected)',
    },
  },
  [PublishingError.NothingPublishable]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '所选的 {count} 个账号都不能发布此稿件，原因和解决办法见 details',
      en: 'None of the {count} accounts chosen can take this manuscript; see details for why and the fix',
    },
  },
  [PublishingError.IdempotencyKeyReused]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '该 Idempotency-Key 已用于另一个请求（另一稿件、另一发布或不同的请求内容），新的请求请使用新的 Idempotency-Key',
      en: 'This Idempotency-Key was already used for a different request (another manuscript, publication or body); use a new key',
    },
  },
  [PublishingError.TargetNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '该发布没有这个平台账号的发布记录', en: 'The publication has no such target' },
  },
  [PublishingError.TargetNotRetryable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '不能重试：{reason}', en: 'Cannot retry: {reason}' },
  },
  [PublishingError.TargetUnconfirmed]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '上次发布结果无法确认，稿件可能已在平台上：请先到平台核实确未发布，勾选“我已核实，平台上没有这篇稿件”后再重试，以免重复发布',
      en: 'The last attempt may have published: check the platform first and confirm the post is not there before retrying, so it is never posted twice',
    },
  },
  [PublishingError.TargetNotRetractable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '不能撤回：{reason}', en: 'Cannot retract: {reason}' },
  },
  [PublishingError.ScheduleLocked]: {
    kind: ErrorKind.Conflict,
    message: { zh: '不能调整发布时间：{reason}', en: 'Cannot reschedule: {reason}' },
  },
}) {}
