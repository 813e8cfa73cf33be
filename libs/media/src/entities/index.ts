export * from './media.entity';
