export * from './inbox-thread.entity';
export * from './inbox-item.entity';
export * from './inbox-reply.entity';
export * from './inbox-note.entity';
export * from './inbox-poll.entity';
export * from './inbox-unit-setting.entity';
export * from './inbox-moderation.entity';
export * from './inbox-listing.entity';
