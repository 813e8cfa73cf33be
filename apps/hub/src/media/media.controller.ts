import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res, StreamableFile, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { diskStorage } from 'multer';
import { randomUUID } from 'node:crypto';
import { CommonError, CommonException } from '@tongfa/core';
import { MediaError, MediaException, MediaService } from '@tongfa/media';
import { Actor } from '@tongfa/identity';
import { FileUpload, UploadGate } from '../common/uploads';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { ListMediaQueryDto, UpdateMediaDto } from './media.dto';

@ApiTags('media')
@ApiBearerAuth()
@Controller('media')
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly trail: AuditTrail,
  ) {}

  @Post()
  @UploadGate((actor, req, refs) => {
    refs.get(MediaService, { strict: false }).uploadUnit(actor, uploadUnitParam(req));
  })
  @FileUpload({
    field: 'file',
    multer: (refs) => {
      const media = refs.get(MediaService, { strict: false });
      return {
        // Streamed to a file under a generated name in the incoming directory; the client's name is never a path.
        storage: diskStorage({ destination: media.incomingDir, filename: (_req, _file, cb) => cb(null, `tongfa-upload-${randomUUID()}`) }),
        limits: { fileSize: media.maxUploadBytes, files: 1, fields: 5, parts: 6 },
      };
    },
    tooLarge: (limit, refs) => refs.get(MediaService, { strict: false }).tooLarge(limit),
  })
  @ApiConsumes('multipart/form-data')
  @ApiQuery({ name: 'unitId', required: false, description: '上传到哪个单位（须为该单位采编；默认本人第一个采编单位）' })
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: '上传图片或视频（类型按内容识别，去除元数据）/ Upload an image or video; type sniffed, metadata stripped' })
  async upload(@CurrentActor() actor: Actor, @Req() req: Request, @UploadedFile() file: Express.Multer.File | undefined) {
    if (!file) throw new MediaException(MediaError.Missing, {}, [{ field: 'file', message: '缺少文件' }]);
    // multer decodes the multipart filename as latin1; browsers send UTF-8.
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const media = await this.media.ingest(actor, file.path, name, uploadUnitParam(req));
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

  @Get()
  @ApiOperation({ summary: "素材库：本人可见单位的图片和视频，新的在前 / Media library in the caller's subtree, newest first" })
  list(@CurrentActor() actor: Actor, @Query() q: ListMediaQueryDto) {
    return this.media.list(actor, q);
  }

  @Patch(':id')
  @ApiOperation({ summary: '修改素材的说明和替代文本（须为该单位采编）/ Edit caption and alt text (editors of the unit)' })
  async update(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateMediaDto) {
    const { before, media } = await this.media.updateText(actor, id, dto);
    await this.trail.record({
      action: 'media.update',
      targetType: 'media',
      targetId: media.id,
      unitId: media.unitId,
      unitPath: media.unitPath,
      before: { ...before },
      after: { caption: media.caption, alt: media.alt },
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

/** `?unitId=`: which of the caller's units the upload is for (the query, since the form is not read yet). */
function uploadUnitParam(req: Request): string | undefined {
  const v = req.query.unitId;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^[0-9a-f-]{36}$/i.test(v)) {
    throw new CommonException(CommonError.ValidationFailed, { fields: 'unitId' }, [{ field: 'unitId', message: '须为单位编号（UUID）' }]);
  }
  return v;
}
