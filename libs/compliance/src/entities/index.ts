export * from './lexicon-version.entity';
export * from './lexicon-entry.entity';
