import { Controller, Get, Param, ParseUUIDPipe, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { diskStorage } from 'multer';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DEFAULT_MEDIA_LIMITS, MediaError, MediaException, MediaService } from '@tongfa/media';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';

@ApiTags('media')
@ApiBearerAuth()
@Controller('media')
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly trail: AuditTrail,
  ) {}

  @Post()
  @UseInterceptors(
    FileInterceptor('file', {
      // Streamed to a temporary file under a generated name; the client's name is never a path.
      storage: diskStorage({ destination: tmpdir(), filename: (_req, _file, cb) => cb(null, `tongfa-upload-${randomUUID()}`) }),
      limits: { fileSize: DEFAULT_MEDIA_LIMITS.videoBytes, files: 1, fields: 5 },
    }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: '上传图片或视频（类型按内容识别，去除元数据）/ Upload an image or video; type sniffed, metadata stripped' })
  async upload(@CurrentActor() actor: Actor, @UploadedFile() file: Express.Multer.File | undefined) {
    if (!file) throw new MediaException(MediaError.Missing, {}, [{ field: 'file', message: '缺少文件' }]);
    // multer decodes the multipart filename as latin1; browsers send UTF-8.
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const media = await this.media.ingest(actor, file.path, name);
    await this.trail.record({
      action: 'media.upload',
      targetType: 'media',
      targetId: media.id,
      unitId: media.unitId,
      unitPath: media.unitPath,
      after: { kind: media.kind, mime: media.mime, bytes: media.bytes },
    });
    return media;
  }

  @Get(':id')
  @ApiOperation({ summary: '文件信息 / Media metadata' })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.media.get(actor, id);
  }

  @Get(':id/content')
  @ApiOperation({ summary: '文件内容 / The bytes' })
  async content(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    const { media, stream } = await this.media.content(actor, id);
    res.setHeader('Content-Type', media.mime);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Disposition', `inline; filename="${media.id}.${media.ext}"`);
    return new StreamableFile(stream, { length: media.bytes });
  }
}
