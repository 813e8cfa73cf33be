import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@tongfa/core';
import { MediaService, MEDIA_LIMITS } from './media.service';
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
    MediaService,
  ],
  exports: [MediaService, MediaStore],
})
export class MediaModule {}
