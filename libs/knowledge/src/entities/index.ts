export * from './qa-entry.entity';
export * from './qa-entry-version.entity';
export * from './qa-review-decision.entity';
export * from './qa-category.entity';
export * from './qa-query-log.entity';
export * from './qa-synonym.entity';
export * from './qa-policy-document.entity';
export * from './qa-sequence.entity';
