export * from './account.entity';
export * from './account-approval.entity';
export * from './filing.entity';
export * from './credential.entity';
