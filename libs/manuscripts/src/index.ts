export * from './entities';
export * from './manuscripts.exception';
export * from './manuscripts.service';
export * from './review.service';
export * from './compliance-gate';
export * from './sanitize';
export * from './manuscripts.module';
