import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AuditEntry, AuditListQuery, AuditService } from '@tongfa/audit';
import { Actor, Permission } from '@tongfa/identity';
import { CommonError, CommonException, formatLocalTime, Page } from '@tongfa/core';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { PageQueryDto } from '../common/dto';
import { AuditPageDto, AuditVerifyDto } from './audit.responses';
import { actionLabel, actionsMatching, TARGET_TYPE_LABELS, targetIdsNamed, targetNames } from './audit-labels';

/** Rows an export may hold: a quarter of a busy province's decisions, and a bounded response. */
const EXPORT_MAX_ROWS = 20_000;

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'auth.login' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  action?: string;

  @ApiPropertyOptional({
    example: '审核',
    description: '搜索：操作名称、操作人、对象名称（稿件标题、账号、用户、单位）/ search by action label, actor or target name',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  targetId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly trail: AuditTrail,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: '审计日志（审计管理员）/ The audit log within the auditor’s subtree' })
  @ApiOkResponse({ type: AuditPageDto })
  async list(@CurrentActor() actor: Actor, @Query() q: AuditQueryDto) {
    const page = await this.audit.list(this.scope(actor), await this.query(q));
    return { items: await this.describe(page.items), total: page.total, next: page.next };
  }

  @Get('export')
  @ApiOperation({ summary: '导出审计日志（xlsx，按当前筛选）/ Export the filtered audit log as xlsx' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(
    @CurrentActor() actor: Actor,
    @Query() q: AuditQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const scope = this.scope(actor);
    const query = await this.query(q);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('审计日志');
    sheet.columns = [
      { header: '序号', key: 'seq', width: 10 },
      { header: '时间（北京时间）', key: 'at', width: 20 },
      { header: '操作人', key: 'actor', width: 18 },
      { header: '操作', key: 'action', width: 28 },
      { header: '对象类型', key: 'targetType', width: 12 },
      { header: '对象', key: 'target', width: 36 },
      { header: '结果', key: 'result', width: 8 },
      { header: 'IP', key: 'ip', width: 16 },
      { header: '操作代码', key: 'code', width: 24 },
      { header: '请求编号', key: 'requestId', width: 38 },
    ];
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    let rows = 0;
    // In the default order each batch starts after the last one's cursor (no offset counted past
    // up to 20,000 rows); a chosen sort pages by number.
    let after: string | undefined;
    for (let page = 1; rows < EXPORT_MAX_ROWS; page++) {
      const batch: Page<AuditEntry> = await this.audit.list(scope, { ...query, page: query.sort ? page : 1, after, pageSize: 500 });
      after = batch.next ?? undefined;
      for (const e of await this.describe(batch.items)) {
        sheet.addRow({
          seq: e.seq,
          at: formatLocalTime(new Date(e.at)).replace('（北京时间）', ''),
          actor: e.actorName ?? '',
          action: e.actionLabel.zh,
          targetType: e.targetTypeLabel?.zh ?? e.targetType ?? '',
          target: e.targetName ?? e.targetId ?? '',
          result: e.result === 'success' ? '成功' : '失败',
          ip: e.ip ?? '',
          code: e.action,
          requestId: e.requestId ?? '',
        });
      }
      rows += batch.items.length;
      if (batch.items.length < 500 || rows >= batch.total || (!query.sort && !after)) break;
    }
    // Taking the log out of the system is itself a decision to record.
    await this.trail.record({
      action: 'audit.export',
      targetType: 'audit',
      targetId: null,
      after: { rows, q: q.q ?? null, action: q.action ?? null },
    });
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(buf);
  }

  @Get('verify')
  @ApiOperation({ summary: '校验审计链 / Verify the hash chain and name edited or deleted entries' })
  @ApiOkResponse({ type: AuditVerifyDto })
  verify(@CurrentActor() actor: Actor) {
    if (!actor.can(Permission.AuditRead)) throw new CommonException(CommonError.Forbidden);
    return this.audit.verify();
  }

  private scope(actor: Actor): string[] | null {
    const scope = actor.scope(Permission.AuditRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    return actor.holdsAtRoot(Permission.AuditRead) ? null : scope;
  }

  private async query(q: AuditQueryDto): Promise<AuditListQuery> {
    const { q: text, ...rest } = q;
    if (!text?.trim()) return rest;
    const t = text.trim();
    return { ...rest, anyOf: { actions: actionsMatching(t), actorName: t, targetIds: await targetIdsNamed(this.ds, t) } };
  }

  /** Entries as an auditor reads them: what was done, to what (by name), beside the codes. */
  private async describe(items: AuditEntry[]) {
    const names = await targetNames(this.ds, items);
    return items.map((e) => ({
      ...e,
      actionLabel: actionLabel(e.action, e.action.startsWith('http.') ? (e.targetId ?? null) : null),
      targetTypeLabel: e.targetType ? (TARGET_TYPE_LABELS[e.targetType] ?? null) : null,
      targetName: e.targetType === 'route' ? e.targetId : (names.get(`${e.targetType}:${e.targetId}`) ?? null),
    }));
  }
}
