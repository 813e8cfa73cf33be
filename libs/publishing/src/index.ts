export * from './entities';
export * from './publishing.exception';
export * from './publications.service';
export * from './rendition.service';
export * from './dispatcher';
export * from './publication.worker';
export * from './reconciler';
export * from './publishing.module';
