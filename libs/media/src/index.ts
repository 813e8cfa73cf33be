export * from './entities/media.entity';
export * from './media-store';
export * from './media.exception';
export * from './media.service';
export * from './media.module';
export * from './mp4-probe';
