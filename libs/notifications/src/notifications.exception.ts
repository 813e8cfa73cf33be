import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum NotificationError {
  NotFound = 'NOTIFICATION_NOT_FOUND',
  ChannelNotFound = 'NOTIFICATION_CHANNEL_NOT_FOUND',
  NotUnitAdmin = 'NOTIFICATION_CHANNEL_NOT_UNIT_ADMIN',
  ChannelSecretMissing = 'NOTIFICATION_CHANNEL_SECRET_MISSING',
  ChannelLimit = 'NOTIFICATION_CHANNEL_LIMIT',
}

export class NotificationException extends defineDomainErrors<NotificationError>({
  [NotificationError.NotFound]: { kind: ErrorKind.NotFound, message: { zh: '通知不存在', en: 'Notification not found' } },
  [NotificationError.ChannelNotFound]: {
    kind: ErrorKind.NotFound,
    message: { zh: '通知机器人不存在或无权访问', en: 'Notification bot not found' },
  },
  [NotificationError.NotUnitAdmin]: {
    kind: ErrorKind.Forbidden,
    message: { zh: '只有本单位（或上级单位）的单位管理员可以设置通知机器人', en: 'Only a unit admin over the unit may configure its bots' },
  },
  [NotificationError.ChannelSecretMissing]: {
    kind: ErrorKind.Invalid,
    message: { zh: '请填写机器人的 Webhook 密钥（key）或 access_token', en: 'The bot key or access_token is required' },
  },
  [NotificationError.ChannelLimit]: {
    kind: ErrorKind.Conflict,
    message: { zh: '每个单位最多设置 10 个通知机器人', en: 'A unit may have at most 10 bots' },
  },
}) {}
