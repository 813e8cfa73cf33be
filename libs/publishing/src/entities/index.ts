export * from './publication.entity';
export * from './publication-target.entity';
export * from './publication-attempt.entity';
export * from './publication-plan.entity';
