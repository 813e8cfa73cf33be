export * from './manuscript.entity';
export * from './manuscript-version.entity';
export * from './review-chain.entity';
export * from './review-decision.entity';
export * from './review-chain-minimum.entity';
