import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum ManuscriptError {
  NotFound = 'MANUSCRIPT_NOT_FOUND',
  NotEditable = 'MANUSCRIPT_NOT_EDITABLE',
  NotAuthor = 'MANUSCRIPT_NOT_AUTHOR',
  NotSubmittable = 'MANUSCRIPT_NOT_SUBMITTABLE',
  ComplianceBlocked = 'COMPLIANCE_BLOCKED',
  NotInReview = 'MANUSCRIPT_NOT_IN_REVIEW',
  OwnManuscript = 'REVIEW_OWN_MANUSCRIPT',
  OwnVersion = 'REVIEW_OWN_VERSION',
  NotYourStep = 'REVIEW_NOT_YOUR_STEP',
  TwoSteps = 'REVIEW_TWO_STEPS',
  StaleVersion = 'REVIEW_STALE_VERSION',
  WarningsUnacknowledged = 'WARNINGS_UNACKNOWLEDGED',
  Concurrent = 'MANUSCRIPT_CHANGED_CONCURRENTLY',
  ChainInvalid = 'REVIEW_CHAIN_INVALID',
  ChainBelowMinimum = 'REVIEW_CHAIN_BELOW_MINIMUM',
  MinimumProvinceOnly = 'REVIEW_CHAIN_MINIMUM_PROVINCE_ONLY',
  UnitNotFound = 'MANUSCRIPT_UNIT_NOT_FOUND',
  SourceRequired = 'SOURCE_REQUIRED',
  MediaNotOwned = 'MANUSCRIPT_MEDIA_NOT_OWNED',
  AdaptationInvalid = 'ADAPTATION_INVALID',
}

export class ManuscriptException extends defineDomainErrors<ManuscriptError>({
  [ManuscriptError.NotFound]: { kind: ErrorKind.NotFound, message: { zh: '稿件不存在或无权访问', en: 'Manuscript not found' } },
  [ManuscriptError.NotEditable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '稿件正在审核中，请先撤回或等待审核结果', en: 'The manuscript is in review and cannot be edited' },
  },
  [ManuscriptError.NotAuthor]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有本单位采编可以修改稿件', en: 'Only editors of the unit may edit' },
  },
  [ManuscriptError.NotSubmittable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '稿件当前状态“{status}”不能送审', en: 'A manuscript in state {status} cannot be submitted' },
  },
  [ManuscriptError.ComplianceBlocked]: {
    kind: ErrorKind.Invalid,
    message: { zh: '内容检查发现 {count} 处必须修改的问题，不能送审', en: 'The checks found {count} blocking problems' },
  },
  [ManuscriptError.NotInReview]: { kind: ErrorKind.Conflict, message: { zh: '稿件不在审核中', en: 'The manuscript is not in review' } },
  [ManuscriptError.OwnManuscript]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '不能审核本人撰写的稿件', en: 'You cannot review your own manuscript' },
  },
  [ManuscriptError.OwnVersion]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '您撰写或修改过本轮送审的稿件（第 {versions} 版），不能审核本稿件：审核须由未参与撰写的人进行',
      en: 'You wrote or edited this review round’s version {versions}, so you cannot review it',
    },
  },
  [ManuscriptError.NotYourStep]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '当前审核环节需要 {level} 级审核人', en: 'The current step needs a level {level} reviewer' },
  },
  [ManuscriptError.TwoSteps]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '同一人不能审核同一稿件版本的两个环节', en: 'One person may not decide two steps of one version' },
  },
  [ManuscriptError.StaleVersion]: {
    kind: ErrorKind.Conflict,
    message: { zh: '稿件已修改（当前第 {current} 版），请刷新后审核', en: 'The manuscript changed (now version {current}); reload' },
  },
  [ManuscriptError.WarningsUnacknowledged]: {
    kind: ErrorKind.Invalid,
    message: { zh: '请先确认内容检查的 {count} 条提示', en: 'Acknowledge the {count} check warnings first' },
  },
  [ManuscriptError.Concurrent]: {
    kind: ErrorKind.Conflict,
    message: { zh: '稿件刚被他人处理，请刷新', en: 'Someone else just acted; reload' },
  },
  [ManuscriptError.ChainInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '审核流程设置有误：{reason}', en: 'Invalid review chain: {reason}' },
  },
  [ManuscriptError.ChainBelowMinimum]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '“{category}”类稿件的审核流程不能少于 {min} 个环节（全省最低要求）',
      en: 'The review chain for {categoryEn} needs at least {min} steps (the province’s minimum)',
    },
  },
  [ManuscriptError.MinimumProvinceOnly]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '审核环节最低要求只能由省级单位管理员设置',
      en: 'Only a unit admin of the province may set the minimum review steps',
    },
  },
  [ManuscriptError.UnitNotFound]: { kind: ErrorKind.NotFound, message: { zh: '单位不存在或无权访问', en: 'Unit not found' } },
  [ManuscriptError.SourceRequired]: {
    kind: ErrorKind.Invalid,
    message: { zh: '转载稿件须注明来源单位（source.unitName）', en: 'A reprint needs source.unitName' },
  },
  [ManuscriptError.MediaNotOwned]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '{labels}不存在或不属于本单位，只能使用本单位上传的图片和视频',
      en: 'The manuscript refers to media that is not its unit’s ({labels}); use the unit’s own uploads',
    },
  },
  [ManuscriptError.AdaptationInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '各平台适配有 {count} 处问题，请按提示修改', en: 'The per-platform adaptations have {count} problems' },
  },
}) {}
