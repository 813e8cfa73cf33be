import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum InboxError {
  ThreadNotFound = 'INBOX_THREAD_NOT_FOUND',
  ReplyNotFound = 'INBOX_REPLY_NOT_FOUND',
  Closed = 'INBOX_THREAD_CLOSED',
  ReplyWindowClosed = 'INBOX_REPLY_WINDOW_CLOSED',
  ReplyTooLong = 'INBOX_REPLY_TOO_LONG',
  AssigneeInvalid = 'INBOX_ASSIGNEE_INVALID',
  NotReviewable = 'INBOX_REPLY_NOT_REVIEWABLE',
  NotUnconfirmed = 'INBOX_REPLY_NOT_UNCONFIRMED',
  OwnReply = 'INBOX_OWN_REPLY',
  UnitNotFound = 'INBOX_UNIT_NOT_FOUND',
  SettingsInvalid = 'INBOX_SETTINGS_INVALID',
  WebhookUnsupported = 'INBOX_WEBHOOK_UNSUPPORTED',
  ModerationForbidden = 'INBOX_MODERATION_FORBIDDEN',
  ModerationUnsupported = 'INBOX_MODERATION_UNSUPPORTED',
  NotAComment = 'INBOX_NOT_A_COMMENT',
  CommentNotInThread = 'INBOX_COMMENT_NOT_IN_THREAD',
}

export class InboxException extends defineDomainErrors<InboxError>({
  [InboxError.ThreadNotFound]: { kind: ErrorKind.NotFound, message: { zh: '互动会话不存在或无权访问', en: 'Thread not found' } },
  [InboxError.ReplyNotFound]: { kind: ErrorKind.NotFound, message: { zh: '回复不存在或无权访问', en: 'Reply not found' } },
  [InboxError.Closed]: { kind: ErrorKind.Conflict, message: { zh: '会话已关闭，不能再回复', en: 'The thread is closed' } },
  [InboxError.ReplyWindowClosed]: {
    kind: ErrorKind.Conflict,
    message: { zh: '已超过平台允许的回复时限，无法再回复该群众', en: 'The platform’s reply window has passed' },
  },
  [InboxError.ReplyTooLong]: {
    kind: ErrorKind.Invalid,
    message: { zh: '回复超过平台允许的字数', en: 'The reply is longer than the platform allows' },
  },
  [InboxError.AssigneeInvalid]: {
    kind: ErrorKind.Invalid,
    message: { zh: '指派对象须为本单位在职的编辑或单位管理员', en: 'The assignee must be an active editor or admin of the unit' },
  },
  [InboxError.NotReviewable]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该回复不在待审状态', en: 'The reply is not waiting for review' },
  },
  [InboxError.NotUnconfirmed]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该回复不在待人工核实状态', en: 'The reply is not waiting for a check on the platform' },
  },
  [InboxError.OwnReply]: { kind: ErrorKind.Forbidden, message: { zh: '不能审核自己撰写的回复', en: 'You cannot review your own reply' } },
  [InboxError.UnitNotFound]: { kind: ErrorKind.NotFound, message: { zh: '单位不存在或无权访问', en: 'Unit not found' } },
  [InboxError.SettingsInvalid]: { kind: ErrorKind.Invalid, message: { zh: '互动设置无效', en: 'Invalid inbox settings' } },
  [InboxError.WebhookUnsupported]: {
    kind: ErrorKind.NotFound,
    message: { zh: '该平台插件不接收推送', en: 'This platform’s plugin takes no pushes' },
  },
  [InboxError.ModerationForbidden]: {
    kind: ErrorKind.Forbidden,
    message: {
      zh: '仅该账号所属单位的编辑或单位管理员可隐藏或删除群众评论',
      en: 'Only an editor or admin of the account’s own unit may hide or delete a citizen’s comment',
    },
  },
  [InboxError.ModerationUnsupported]: {
    kind: ErrorKind.Conflict,
    message: { zh: '该平台不支持此操作', en: 'The platform does not allow this' },
  },
  [InboxError.NotAComment]: {
    kind: ErrorKind.Conflict,
    message: { zh: '私信会话没有可隐藏或删除的评论', en: 'A message conversation has no comment to hide or delete' },
  },
  [InboxError.CommentNotInThread]: {
    kind: ErrorKind.Invalid,
    message: { zh: '评论不属于该会话', en: 'The comment is not in this thread' },
  },
}) {}
