import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@tongfa/core';
import { join, resolve } from 'node:path';
import { MediaService, MEDIA_INCOMING_DIR, MEDIA_LIMITS } from './media.service';
import { DiskMediaStore, MediaStore } from './media-store';

@Global()
@Module({
  providers: [
    { provide: MediaStore, inject: [AppConfig], useFactory: (c: AppConfig) => new DiskMediaStore(c.env.TONGFA_MEDIA_DIR) },
    {
      provide: MEDIA_LIMITS,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => ({
        imageBytes: c.env.TONGFA_MEDIA_MAX_IMAGE_BYTES,
        videoBytes: c.env.TONGFA_MEDIA_MAX_VIDEO_BYTES,
        imagePixels: c.env.TONGFA_MEDIA_MAX_PIXELS,
      }),
    },
    {
      provide: MEDIA_INCOMING_DIR,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => join(resolve(c.env.TONGFA_MEDIA_DIR), '.incoming'),
    },
    MediaService,
  ],
  exports: [MediaService, MediaStore, MEDIA_INCOMING_DIR],
})
export class MediaModule {}
