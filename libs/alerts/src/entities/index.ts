export * from './duty-alert.entity';
