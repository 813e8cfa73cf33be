export * from './entities';
export * from './notifications.exception';
export * from './recipients';
export * from './notifications.service';
export * from './notification-producers';
export * from './bot-transport';
export * from './bot-channels.service';
export * from './notifications.module';
