import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum ComplianceError {
  LexiconNotFound = 'LEXICON_NOT_FOUND',
  LexiconAlreadyPublished = 'LEXICON_ALREADY_PUBLISHED',
  LexiconSuperseded = 'LEXICON_SUPERSEDED',
  LexiconListInvalid = 'LEXICON_LIST_INVALID',
  LexiconListEmpty = 'LEXICON_LIST_EMPTY',
  LexiconRootOnly = 'LEXICON_ROOT_ONLY',
  NoPublishedLexicon = 'NO_PUBLISHED_LEXICON',
}

export class ComplianceException extends defineDomainErrors<ComplianceError>({
  [ComplianceError.LexiconNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '词库版本不存在', en: 'Lexicon version not found' },
  },
  [ComplianceError.LexiconAlreadyPublished]: {
    kind: ErrorKind.Conflict,
    message: { zh: '词库版本 {number} 已发布，发布后不可更改', en: 'Lexicon version {number} is already published and cannot change' },
  },
  [ComplianceError.LexiconSuperseded]: {
    kind: ErrorKind.Conflict,
    message: {
      zh: '词库版本 {number} 早于已发布的版本 {latest}，发布它会丢失后来的词条；请基于最新版本重新导入',
      en: 'Version {number} is older than the published version {latest}; publishing it would drop later entries. Import again on the latest',
    },
  },
  [ComplianceError.LexiconListInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '词表有 {count} 行有误，未导入', en: '{count} lines of the list are invalid; nothing was imported' },
  },
  [ComplianceError.LexiconListEmpty]: {
    kind: ErrorKind.Invalid,
    message: { zh: '词表为空（每行一个词条）', en: 'The list is empty (one term a line)' },
  },
  [ComplianceError.LexiconRootOnly]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '词库由省级平台的系统管理员或安全管理员维护',
      en: 'The lexicon is maintained by platform operators or security admins at the root unit',
    },
  },
  [ComplianceError.NoPublishedLexicon]: {
    kind: ErrorKind.Unavailable,
    message: { zh: '尚无已发布的词库，暂不能检查', en: 'No lexicon is published yet; checks are unavailable' },
  },
}) {}
