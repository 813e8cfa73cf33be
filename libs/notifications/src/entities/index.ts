export * from './notification.entity';
export * from './notification-channel.entity';
export * from './notification-delivery.entity';
