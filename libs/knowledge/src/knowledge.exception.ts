import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum KnowledgeError {
  EntryNotFound = 'QA_ENTRY_NOT_FOUND',
  UnitNotFound = 'QA_UNIT_NOT_FOUND',
  NotEditor = 'QA_NOT_EDITOR',
  NotEditable = 'QA_NOT_EDITABLE',
  NotSubmittable = 'QA_NOT_SUBMITTABLE',
  NotInReview = 'QA_NOT_IN_REVIEW',
  OwnEntry = 'QA_REVIEW_OWN_ENTRY',
  NotYourStep = 'QA_REVIEW_NOT_YOUR_STEP',
  TwoSteps = 'QA_REVIEW_TWO_STEPS',
  Concurrent = 'QA_CHANGED_CONCURRENTLY',
  OverrideInvalid = 'QA_OVERRIDE_INVALID',
  CategoryNotFound = 'QA_CATEGORY_NOT_FOUND',
  CategoryExists = 'QA_CATEGORY_EXISTS',
  DatesInvalid = 'QA_DATES_INVALID',
  ProvinceOnly = 'QA_PROVINCE_ONLY',
  SynonymsInvalid = 'QA_SYNONYMS_INVALID',
  ImportInvalid = 'QA_IMPORT_INVALID',
  ImportTooLarge = 'QA_IMPORT_TOO_LARGE',
  QueryNotFound = 'QA_QUERY_NOT_FOUND',
  DocumentNotFound = 'QA_POLICY_DOCUMENT_NOT_FOUND',
  KeyScopeMissing = 'QA_KEY_SCOPE_MISSING',
  KeyOutOfUnit = 'QA_KEY_OUT_OF_UNIT',
  OriginNotAllowed = 'QA_ORIGIN_NOT_ALLOWED',
  RateLimited = 'QA_RATE_LIMITED',
  IndexBuilding = 'QA_INDEX_BUILDING',
}

export class KnowledgeException extends defineDomainErrors<KnowledgeError>({
  [KnowledgeError.EntryNotFound]: { kind: ErrorKind.NotFound, message: { zh: '答问不存在或无权访问', en: 'Q&A entry not found' } },
  [KnowledgeError.UnitNotFound]: { kind: ErrorKind.NotFound, message: { zh: '单位不存在或无权访问', en: 'Unit not found' } },
  [KnowledgeError.NotEditor]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有答问所属单位的采编可以修改', en: 'Only editors of the owner unit may edit this entry' },
  },
  [KnowledgeError.NotEditable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '答问当前状态“{status}”不能修改', en: 'An entry in state {status} cannot be edited' },
  },
  [KnowledgeError.NotSubmittable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '答问当前状态“{status}”不能送审', en: 'An entry in state {status} cannot be submitted' },
  },
  [KnowledgeError.NotInReview]: { kind: ErrorKind.Conflict, message: { zh: '答问不在审核中', en: 'The entry is not in review' } },
  [KnowledgeError.OwnEntry]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '不能审核本人撰写或修改的答问', en: 'You cannot review an entry you wrote' },
  },
  [KnowledgeError.NotYourStep]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '当前审核环节需要 {level} 级审核人', en: 'The current step needs a level {level} reviewer' },
  },
  [KnowledgeError.TwoSteps]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '同一人不能审核同一版本的两个环节', en: 'One person may not decide two steps of one version' },
  },
  [KnowledgeError.Concurrent]: {
    kind: ErrorKind.Conflict,
    message: { zh: '答问刚被他人处理，请刷新', en: 'Someone else just acted; reload' },
  },
  [KnowledgeError.OverrideInvalid]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '只能替代上级单位已发布的答问（overridesEntryId）',
      en: 'An override must name a published entry of an ancestor unit (overridesEntryId)',
    },
  },
  [KnowledgeError.CategoryNotFound]: { kind: ErrorKind.Invalid, message: { zh: '分类不存在', en: 'Unknown category' } },
  [KnowledgeError.CategoryExists]: {
    kind: ErrorKind.Conflict,
    message: { zh: '同级已有同名分类', en: 'A sibling category has that name' },
  },
  [KnowledgeError.DatesInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '失效时间须晚于生效时间', en: 'effectiveUntil must be after effectiveFrom' },
  },
  [KnowledgeError.ProvinceOnly]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '同义词表、分类和政策文件由省级系统管理员或主管单位维护',
      en: 'Only a platform operator or supervisor at the province maintains the library’s tables',
    },
  },
  [KnowledgeError.SynonymsInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '同义词设置有误：{reason}', en: 'Invalid synonyms: {reason}' },
  },
  [KnowledgeError.ImportInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '导入文件有 {count} 处错误，未导入任何答问', en: 'The file has {count} errors; nothing was imported' },
  },
  [KnowledgeError.ImportTooLarge]: {
    kind: ErrorKind.Invalid,
    message: { zh: '每次最多导入 {max} 条答问', en: 'At most {max} entries per import' },
  },
  [KnowledgeError.QueryNotFound]: { kind: ErrorKind.NotFound, message: { zh: '查询记录不存在', en: 'Query not found' } },
  [KnowledgeError.DocumentNotFound]: { kind: ErrorKind.NotFound, message: { zh: '政策文件不存在', en: 'Policy document not found' } },
  [KnowledgeError.KeyScopeMissing]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '该 API 密钥没有 qa:query 权限', en: 'The API key lacks the qa:query scope' },
  },
  [KnowledgeError.KeyOutOfUnit]: {
    kind: ErrorKind.Forbidden,
    message: { zh: 'API 密钥只能查询其所属单位及下级的答问', en: 'An API key queries for its own unit’s subtree only' },
  },
  [KnowledgeError.OriginNotAllowed]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '该网站来源未获准使用此 API 密钥', en: 'This origin is not allowed for the API key' },
  },
  [KnowledgeError.RateLimited]: {
    kind: ErrorKind.TooMany,
    message: { zh: '查询过于频繁，请稍后再试', en: 'Too many queries; try again shortly' },
  },
  [KnowledgeError.IndexBuilding]: {
    kind: ErrorKind.Unavailable,
    retryAfterSeconds: 5,
    message: {
      zh: '答问检索索引正在建立（本服务刚启动），请几秒后重试',
      en: 'The Q&A search index is still being built after start; retry in a few seconds',
    },
  },
}) {}
