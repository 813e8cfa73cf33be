import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, UploadedFile } from '@nestjs/common';
import { memoryStorage } from 'multer';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { LexiconService } from '@tongfa/compliance';
import { CommonError, CommonException } from '@tongfa/core';
import { Actor } from '@tongfa/identity';
import { AuditTrail } from '../common/audit-trail';
import { CurrentActor } from '../common/decorators';
import { FileUpload, UploadGate } from '../common/uploads';
import { PageQueryDto } from '../common/dto';
import { EntryQueryDto, ImportLexiconQueryDto } from './compliance.dto';
import { readTextBody } from './text-body';

const LIST_LIMIT = 10 * 1024 * 1024;

@ApiTags('compliance')
@ApiBearerAuth()
@Controller('lexicons')
export class LexiconsController {
  constructor(
    private readonly lexicons: LexiconService,
    private readonly trail: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: '词库版本列表 / Lexicon versions, newest first' })
  list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto) {
    return this.lexicons.list(actor, q);
  }

  @Post('import')
  @HttpCode(201)
  @UploadGate((actor, _req, refs) => refs.get(LexiconService, { strict: false }).assertCanManage(actor))
  @FileUpload({
    field: 'file',
    multer: () => ({ storage: memoryStorage(), limits: { fileSize: LIST_LIMIT, files: 1, fields: 5, parts: 6 } }),
  })
  @ApiConsumes('text/plain', 'multipart/form-data')
  @ApiBody({
    description:
      '每行一个词条，可选 `词条<TAB>替换/建议<TAB>级别(block|warn)` / one term a line, optional tab-separated replacement and severity',
    schema: { type: 'string', example: '最佳\n第一品牌\t\tblock' },
  })
  @ApiOperation({ summary: '导入词表，生成新草稿版本 / Import a plain list of one kind into a new draft version' })
  async import(
    @CurrentActor() actor: Actor,
    @Query() q: ImportLexiconQueryDto,
    @Req() req: Request,
    @UploadedFile() file: Express.Multer.File | undefined,
  ) {
    let text: string;
    if (file) text = file.buffer.toString('utf8');
    else if (req.is('text/plain')) text = await readTextBody(req, LIST_LIMIT);
    else
      throw new CommonException(CommonError.ValidationFailed, { fields: 'body' }, [
        { field: 'body', message: '请以 text/plain 或 multipart 文件（file）上传词表' },
      ]);
    const { version, imported } = await this.lexicons.import(actor, { kind: q.kind, mode: q.mode, note: q.note }, text);
    await this.trail.record({
      action: 'lexicon.import',
      targetType: 'lexicon_version',
      targetId: version.id,
      after: { number: version.number, kind: q.kind, mode: q.mode ?? 'append', imported, entryCount: version.entryCount },
    });
    return { ...version, imported };
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: '发布词库版本（发布后不可更改）/ Publish a draft; every check uses it from then on' })
  async publish(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const version = await this.lexicons.publish(actor, id);
    await this.trail.record({
      action: 'lexicon.publish',
      targetType: 'lexicon_version',
      targetId: version.id,
      after: { number: version.number, entryCount: version.entryCount, basedOnId: version.basedOnId },
    });
    return version;
  }

  @Get(':id/entries')
  @ApiOperation({ summary: '词库版本的词条 / Entries of a version, by kind and text' })
  entries(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: EntryQueryDto) {
    return this.lexicons.entries(actor, id, q);
  }
}
