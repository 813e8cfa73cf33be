export * from './entities';
export * from './alerts.exception';
export * from './alerts.service';
export * from './alerts.module';
