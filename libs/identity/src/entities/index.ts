export * from './unit.entity';
export * from './user.entity';
export * from './role-assignment.entity';
export * from './session.entity';
export * from './api-key.entity';
export * from './password-history.entity';
export * from './recovery-code.entity';
