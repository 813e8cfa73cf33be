export * from './duty-schedule.entity';
export * from './duty-override.entity';
export * from './duty-page.entity';
export * from './duty-notice.entity';
