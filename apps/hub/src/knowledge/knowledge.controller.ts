import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Options,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { memoryStorage } from 'multer';
import { AppConfig } from '@tongfa/core';
import { Actor, ApiKey, ApiKeysService } from '@tongfa/identity';
import {
  KnowledgeError,
  KnowledgeException,
  QA_IMPORT_MAX_ROWS,
  QaEntriesService,
  QaEntryView,
  QaLibraryService,
  QaSearchService,
  QaSpreadsheetService,
} from '@tongfa/knowledge';
import { CurrentActor, Public } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { FileUpload, UploadGate } from '../common/uploads';
import {
  CreateQaCategoryDto,
  CreateQaEntryDto,
  PolicyDocumentQueryDto,
  QaEntryListQueryDto,
  QaFeedbackDto,
  QaGapQueryDto,
  QaImportQueryDto,
  QaReviewDto,
  QaSearchQueryDto,
  QaSimilarQuestionsQueryDto,
  SetSynonymsDto,
  UpdateQaEntryDto,
} from './knowledge.dto';

const brief = (e: QaEntryView) => ({ question: e.question, status: e.status, version: e.version, overridesEntryId: e.overridesEntryId });
const WINDOW_MS = 60_000;

/**
 * The shared Q&A library (统一咨询答问库). Websites, hotline systems and chatbots call GET
 * /qa/search and POST /qa/feedback with an API key holding the `qa:query` scope: bound to its unit's
 * subtree, its CORS allowlist checked here, TONGFA_QA_KEY_RATE_LIMIT queries a minute.
 */
@ApiTags('qa')
@ApiBearerAuth()
@Controller('qa')
export class KnowledgeController {
  constructor(
    private readonly entries: QaEntriesService,
    private readonly searcher: QaSearchService,
    private readonly library: QaLibraryService,
    private readonly sheets: QaSpreadsheetService,
    private readonly apiKeys: ApiKeysService,
    private readonly trail: AuditTrail,
    private readonly config: AppConfig,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
  ) {}

  @Get('entries')
  @ApiOperation({ summary: '答问列表（管辖范围内；可按分类、单位、状态、即将失效、待复核筛选）/ Entries in the caller’s subtree' })
  list(@CurrentActor() actor: Actor, @Query() q: QaEntryListQueryDto) {
    return this.entries.list(actor, q);
  }

  @Post('entries')
  @ApiOperation({ summary: '新建答问（第 1 版，草稿）/ Write an entry (version 1, draft)' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateQaEntryDto) {
    const { fromGap, ...input } = dto;
    const view = await this.entries.create(actor, input);
    const closed = fromGap ? await this.searcher.resolveGap(actor, fromGap, view.id) : 0;
    await this.audit('qa.create', view, fromGap ? { fromGap, closedQueries: closed } : {});
    return view;
  }

  @Get('entries/export')
  @ApiOperation({ summary: '导出答问（Excel）/ Export the entries in the caller’s subtree as xlsx' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', 'attachment; filename="qa-entries.xlsx"')
  async export(@CurrentActor() actor: Actor): Promise<StreamableFile> {
    return new StreamableFile(await this.sheets.export(actor));
  }

  @Post('entries/import')
  @HttpCode(201)
  @UploadGate((actor, _req, refs) => refs.get(QaSpreadsheetService, { strict: false }).assertCanImport(actor))
  @FileUpload({
    field: 'file',
    multer: () => ({ storage: memoryStorage(), limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 5, parts: 6 } }),
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({
    summary: `导入答问（Excel，最多 ${QA_IMPORT_MAX_ROWS} 条，全部通过才导入，导入后送审）/ Import entries; any bad row refuses the whole file; imported entries go to review`,
  })
  async import(@CurrentActor() actor: Actor, @Query() q: QaImportQueryDto, @UploadedFile() file: Express.Multer.File | undefined) {
    if (!file) {
      throw new KnowledgeException(KnowledgeError.ImportInvalid, { count: 1 }, [
        { field: 'file', message: '请上传 Excel 文件（file）/ upload an xlsx file' },
      ]);
    }
    const result = await this.sheets.import(actor, file.buffer, q.unitId);
    await this.trail.record({
      action: 'qa.import',
      targetType: 'qa_entry',
      targetId: null,
      after: { imported: result.imported, entryIds: result.entryIds },
    });
    return result;
  }

  @Get('entries/:id')
  @ApiOperation({ summary: '答问详情（当前版本与在线版本）/ An entry with its current and live versions' })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.entries.get(actor, id);
  }

  @Get('entries/:id/versions')
  @ApiOperation({ summary: '版本历史 / All versions, newest first' })
  versions(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.entries.versions(actor, id);
  }

  @Get('entries/:id/reviews')
  @ApiOperation({ summary: '审核记录 / Review decisions' })
  reviews(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.entries.history(actor, id);
  }

  @Patch('entries/:id')
  @ApiOperation({
    summary:
      '修改答问（生成新版本并回到草稿；已发布版本在新版本通过前继续有效）/ Save a new version; the live one stays until it is approved',
  })
  async update(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateQaEntryDto) {
    const view = await this.entries.update(actor, id, dto);
    await this.audit('qa.update', view);
    return view;
  }

  @Post('entries/:id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: '送审（按本单位“答问”审核流程）/ Submit through the unit’s qa review chain' })
  async submit(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const view = await this.entries.submit(actor, id);
    await this.audit('qa.submit', view);
    return view;
  }

  @Post('entries/:id/reviews')
  @HttpCode(200)
  @ApiOperation({ summary: '审核答问（最后一级通过即发布）/ Decide the open step; the last approval publishes' })
  async decide(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: QaReviewDto) {
    const { entry, decision } = await this.entries.decide(actor, id, dto);
    await this.audit(dto.decision === 'approve' ? 'qa.approve' : 'qa.reject', entry, { step: decision.step, comment: decision.comment });
    return { ...entry, decision };
  }

  @Post('entries/:id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: '归档（从检索中撤下）/ Archive: out of the library and out of search' })
  async archive(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const view = await this.entries.archive(actor, id);
    await this.audit('qa.archive', view);
    return view;
  }

  @Options(['search', 'feedback'])
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: '跨域预检 / CORS preflight for websites (the key’s allowlist is checked on the request itself)' })
  preflight(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    const origin = req.headers.origin;
    if (typeof origin === 'string') {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, X-Api-Key, Content-Type');
      res.setHeader('Access-Control-Max-Age', '600');
    }
  }

  @Get('search')
  @ApiOperation({
    summary:
      '检索答问：最佳结果达到阈值才算有答案，此时 items 给出至多 limit 条（由好到差）；未达阈值则 items 为空，候选只在 suggestions（“猜你想问”，网站和热线应照此展示，不当作答案）；API 密钥须有 qa:query。服务刚启动、检索索引未建好时至多等 3 秒，仍未建好则 503 QA_INDEX_BUILDING，请稍后重试 / ' +
      'Search: a query is answered when its best hit reaches the no-match threshold, and then items offer up to limit hits, best first; otherwise items is empty and the candidates come as suggestions ("did you mean": shown as such by websites and hotlines, never as answers). Right after a hub starts, waits up to 3 s for its index, then 503 QA_INDEX_BUILDING (retry shortly)',
  })
  async search(@CurrentActor() actor: Actor, @Query() q: QaSearchQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const key = await this.keyGate(actor, req, res);
    return this.searcher.search(actor, q, key);
  }

  @Post('feedback')
  @HttpCode(200)
  @ApiOperation({ summary: '答案是否有帮助 / Whether an answer helped' })
  async feedback(@CurrentActor() actor: Actor, @Body() dto: QaFeedbackDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const key = await this.keyGate(actor, req, res);
    await this.searcher.feedback(actor, dto, key);
    return { ok: true };
  }

  @Get('gaps')
  @ApiOperation({
    summary: '知识缺口：无答案或答案无帮助的问题，按归一化文本聚类，按次数和时间排序 / Unanswered or unhelpful questions, clustered',
  })
  gaps(@CurrentActor() actor: Actor, @Query() q: QaGapQueryDto) {
    return this.searcher.gaps(actor, q);
  }

  @Get('similar-questions')
  @ApiOperation({
    summary:
      '相似问法建议：本单位及下级渠道（网站、热线）近 180 天群众的问法中，与该问题相近或检索时由该答问作答的，按次数聚类；含个人信息的问法不列 / ' +
      'Similar-question suggestions: citizens’ wordings from the unit’s subtree channels over 180 days that read like the question or were answered with the entry',
  })
  similarQuestions(@CurrentActor() actor: Actor, @Query() q: QaSimilarQuestionsQueryDto) {
    return this.searcher.similarQuestions(actor, q);
  }

  @Get('synonyms')
  @ApiOperation({ summary: '全省同义词表 / The province’s synonym table' })
  async synonyms() {
    return { groups: await this.library.synonyms() };
  }

  @Put('synonyms')
  @ApiOperation({ summary: '替换全省同义词表（省级系统管理员或主管单位）/ Replace the synonym table (province operator or supervisor)' })
  async setSynonyms(@CurrentActor() actor: Actor, @Body() dto: SetSynonymsDto) {
    const groups = await this.library.setSynonyms(actor, dto.groups);
    await this.trail.record({ action: 'qa.synonyms', targetType: 'qa_synonym', targetId: null, after: { groups: groups.length } });
    return { groups };
  }

  @Get('categories')
  @ApiOperation({ summary: '答问分类（全省统一）/ The category tree' })
  categories() {
    return this.library.categories();
  }

  @Post('categories')
  @ApiOperation({ summary: '新建分类（省级）/ Add a category (province)' })
  async createCategory(@CurrentActor() actor: Actor, @Body() dto: CreateQaCategoryDto) {
    const row = await this.library.createCategory(actor, dto);
    await this.trail.record({ action: 'qa.category.create', targetType: 'qa_category', targetId: row.id, after: { name: row.pathName } });
    return row;
  }

  @Get('policy-documents')
  @ApiOperation({ summary: '答问引用的政策文件 / Policy documents cited by entries' })
  documents(@CurrentActor() actor: Actor, @Query() q: PolicyDocumentQueryDto) {
    return this.library.documents(actor, q);
  }

  @Post('policy-documents/:id/repeal')
  @HttpCode(200)
  @ApiOperation({ summary: '标记政策文件已废止：引用它的答问标记为待复核 / Mark repealed; every citing entry is flagged for review' })
  async repeal(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const result = await this.library.repeal(actor, id);
    await this.trail.record({
      action: 'qa.policy.repeal',
      targetType: 'qa_policy_document',
      targetId: id,
      after: { title: result.document.title, docNumber: result.document.docNumber, flagged: result.flaggedEntryIds },
    });
    return result;
  }

  /**
   * For an API-key caller: the key must hold qa:query, a browser's Origin must be on the key's
   * allowlist (then echoed for CORS), and the key stays within its rate. Signed-in users pass.
   */
  private async keyGate(actor: Actor, req: Request, res: Response): Promise<ApiKey | null> {
    const key = await this.apiKeys.keyOf(actor);
    if (!key) return null;
    if (!(key.scopes ?? []).includes('qa:query')) throw new KnowledgeException(KnowledgeError.KeyScopeMissing);
    const origin = req.headers.origin;
    if (typeof origin === 'string') {
      if (!(key.allowedOrigins ?? []).includes(origin)) throw new KnowledgeException(KnowledgeError.OriginNotAllowed);
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    const limit = this.config.env.TONGFA_QA_KEY_RATE_LIMIT;
    const r = await this.storage.increment(`qa-key:${key.id}`, WINDOW_MS, limit, WINDOW_MS, 'qa');
    if (r.isBlocked) throw new KnowledgeException(KnowledgeError.RateLimited);
    return key;
  }

  private audit(action: string, view: QaEntryView, extra: Record<string, unknown> = {}): Promise<void> {
    return this.trail.record({
      action,
      targetType: 'qa_entry',
      targetId: view.id,
      unitId: view.unitId,
      after: { ...brief(view), ...extra },
    });
  }
}
