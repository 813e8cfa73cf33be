export * from './spot-check-round.entity';
export * from './spot-check-sample.entity';
export * from './spot-check-finding.entity';
export * from './rectification.entity';
