export * from './campaign.entity';
export * from './assignment.entity';
export * from './assignment-reminder.entity';
export * from './campaign-trust.entity';
export * from './campaign-relay.entity';
export * from './account-poll.entity';
