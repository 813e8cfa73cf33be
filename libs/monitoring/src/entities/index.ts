export * from './activity-day.entity';
export * from './monitored-account.entity';
export * from './rule-state.entity';
