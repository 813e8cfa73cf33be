export * from './oauth-state.entity';
export * from './platform-app-credential.entity';
export * from './account-alert.entity';
