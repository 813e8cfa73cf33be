export * from './entities';
export * from './schedule';
export * from './duty.exception';
export * from './duty.service';
export * from './duty-escalation.service';
export * from './duty-log.export';
export * from './duty.module';
