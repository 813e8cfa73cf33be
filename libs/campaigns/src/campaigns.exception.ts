import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum CampaignError {
  NotFound = 'CAMPAIGN_NOT_FOUND',
  AssignmentNotFound = 'ASSIGNMENT_NOT_FOUND',
  NotSupervisor = 'CAMPAIGN_NOT_SUPERVISOR',
  SourceNotFound = 'CAMPAIGN_SOURCE_NOT_FOUND',
  SourceNotOwnUnit = 'CAMPAIGN_SOURCE_NOT_OWN_UNIT',
  SourceNotApproved = 'CAMPAIGN_SOURCE_NOT_APPROVED',
  SourceRequired = 'CAMPAIGN_SOURCE_REQUIRED',
  TargetsInvalid = 'CAMPAIGN_TARGETS_INVALID',
  TargetsEmpty = 'CAMPAIGN_TARGETS_EMPTY',
  PlatformsInvalid = 'CAMPAIGN_PLATFORMS_INVALID',
  DeadlineInvalid = 'CAMPAIGN_DEADLINE_INVALID',
  RemindersInvalid = 'CAMPAIGN_REMINDERS_INVALID',
  Closed = 'CAMPAIGN_CLOSED',
  NotYourAssignment = 'ASSIGNMENT_NOT_YOURS',
  NotAcceptable = 'ASSIGNMENT_NOT_ACCEPTABLE',
  NoAccount = 'ASSIGNMENT_NO_ACCOUNT',
  AlreadyComplete = 'ASSIGNMENT_ALREADY_COMPLETE',
  EvidenceNotFound = 'ASSIGNMENT_EVIDENCE_NOT_FOUND',
  EvidenceMismatch = 'ASSIGNMENT_EVIDENCE_MISMATCH',
  EvidenceUnverifiable = 'ASSIGNMENT_EVIDENCE_UNVERIFIABLE',
  ExemptionNotRequested = 'ASSIGNMENT_EXEMPTION_NOT_REQUESTED',
  ExemptionPending = 'ASSIGNMENT_EXEMPTION_PENDING',
  OwnExemption = 'ASSIGNMENT_OWN_EXEMPTION',
  BodyLocked = 'RELAY_BODY_LOCKED',
  SourceLocked = 'RELAY_SOURCE_LOCKED',
  NotUnitAdmin = 'CAMPAIGN_TRUST_NOT_UNIT_ADMIN',
  TrustIssuerInvalid = 'CAMPAIGN_TRUST_ISSUER_INVALID',
}

export class CampaignException extends defineDomainErrors<CampaignError>({
  [CampaignError.NotFound]: { kind: ErrorKind.NotFound, message: { zh: '联动任务不存在或无权访问', en: 'Campaign not found' } },
  [CampaignError.AssignmentNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '任务分派不存在或无权访问', en: 'Assignment not found' },
  },
  [CampaignError.NotSupervisor]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有主管单位可以发起或管理联动任务', en: 'Only a supervisor may issue or manage campaigns' },
  },
  [CampaignError.SourceNotFound]: {
    kind: ErrorKind.Invalid,
    message: { zh: '来源稿件或发布不存在', en: 'The source manuscript or publication does not exist' },
  },
  [CampaignError.SourceNotOwnUnit]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只能以本单位的稿件或发布发起联动', en: 'A campaign relays a manuscript or publication of your own unit' },
  },
  [CampaignError.SourceNotApproved]: {
    kind: ErrorKind.Invalid,
    message: { zh: '来源稿件尚未审核通过（先审后发）', en: 'The source manuscript is not approved' },
  },
  [CampaignError.SourceRequired]: {
    kind: ErrorKind.Invalid,
    message: { zh: '请指定来源：manuscriptId 或 publicationId 之一', en: 'Give the source: one of manuscriptId or publicationId' },
  },
  [CampaignError.TargetsInvalid]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '目标单位不在本单位管辖范围内', en: 'Target units must lie within your subtree' },
  },
  [CampaignError.TargetsEmpty]: {
    kind: ErrorKind.Invalid,
    message: { zh: '没有符合条件的目标单位', en: 'No unit matches the targets' },
  },
  [CampaignError.PlatformsInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '平台无效：{platforms}', en: 'Unknown platforms: {platforms}' },
  },
  [CampaignError.DeadlineInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '截止时间须在 10 分钟之后、30 天之内', en: 'The deadline must be between 10 minutes and 30 days from now' },
  },
  [CampaignError.RemindersInvalid]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '提醒时间须为截止前的分钟数（1 至 43200，最多 5 个）',
      en: 'Reminders are 1–5 offsets of 1–43200 minutes before the deadline',
    },
  },
  [CampaignError.Closed]: { kind: ErrorKind.Conflict, message: { zh: '联动任务已结束', en: 'The campaign is closed' } },
  [CampaignError.NotYourAssignment]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有被分派单位的采编或单位管理员可以办理', en: 'Only editors or the admin of the assigned unit may act on it' },
  },
  [CampaignError.NotAcceptable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '任务当前状态“{state}”不能接收', en: 'An assignment in state {state} cannot be accepted' },
  },
  [CampaignError.NoAccount]: {
    kind: ErrorKind.Conflict,
    message: { zh: '本单位在该平台没有账号，无需转载', en: 'The unit has no account on this platform' },
  },
  [CampaignError.AlreadyComplete]: {
    kind: ErrorKind.Conflict,
    message: { zh: '任务已完成或已结束（{state}）', en: 'The assignment is already settled ({state})' },
  },
  [CampaignError.EvidenceNotFound]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '该链接不是本单位该平台账号发布的内容，请提交本账号转载后的完整链接',
      en: 'The link is not a post of the assigned account',
    },
  },
  [CampaignError.EvidenceMismatch]: {
    kind: ErrorKind.Invalid,
    message: { zh: '该链接的内容与联动稿件不符', en: 'The post does not match the campaign’s release' },
  },
  [CampaignError.EvidenceUnverifiable]: {
    kind: ErrorKind.Invalid,
    message: { zh: '无法核实该链接：{reason}', en: 'The link could not be verified: {reason}' },
  },
  [CampaignError.ExemptionNotRequested]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该任务没有待审批的豁免申请', en: 'No exemption request is waiting for a decision' },
  },
  [CampaignError.ExemptionPending]: {
    kind: ErrorKind.Conflict,
    message: { zh: '豁免申请已提交，等待发起单位审批', en: 'An exemption request is already waiting' },
  },
  [CampaignError.OwnExemption]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有发起单位可以审批豁免，不能审批本单位的申请', en: 'Only the issuer decides an exemption, never the unit itself' },
  },
  [CampaignError.BodyLocked]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '发起单位不允许改写正文，转载稿只能修改标题和导语',
      en: 'The issuer does not allow adaptation: only the title and lead of the relay may change',
    },
  },
  [CampaignError.SourceLocked]: {
    kind: ErrorKind.Conflict,
    message: { zh: '联动转载稿的类别和来源不能修改', en: 'The category and source of a campaign relay cannot change' },
  },
  [CampaignError.NotUnitAdmin]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有本单位管理员可以设置联动免审规则', en: 'Only the unit admin may set campaign trust rules' },
  },
  [CampaignError.TrustIssuerInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '免审规则只能针对上级单位', en: 'A trust rule names a superior unit' },
  },
}) {}
