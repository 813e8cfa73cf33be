import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UploadedFile } from '@nestjs/common';
import { memoryStorage } from 'multer';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Account, AccountImportService, AccountsService, MatrixService } from '@tongfa/accounts';
import { Actor } from '@tongfa/identity';
import { CommonError, CommonException } from '@tongfa/core';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { FileUpload, UploadGate } from '../common/uploads';
import {
  AccountListQueryDto,
  CreateAccountDto,
  DecideAccountDto,
  FileDto,
  FilingListQueryDto,
  MatrixQueryDto,
  UpdateAccountDto,
} from './accounts.dto';

const summary = (a: Account) => ({
  unitId: a.unitId,
  platform: a.platform,
  name: a.name,
  status: a.status,
  verifiedSubject: a.verifiedSubject,
  platformAccountId: a.platformAccountId,
});

@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly matrix: MatrixService,
    private readonly importer: AccountImportService,
    private readonly trail: AuditTrail,
  ) {}

  @Get('accounts')
  @ApiOperation({ summary: '账号列表（管辖范围内）/ Accounts in the caller’s subtree' })
  list(@CurrentActor() actor: Actor, @Query() q: AccountListQueryDto) {
    return this.accounts.list(actor, q);
  }

  @Post('accounts')
  @ApiOperation({ summary: '申请开设账号（须上级主管单位审批）/ Apply to open an account; a supervisor above approves' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateAccountDto) {
    const { account, approval } = await this.accounts.create(actor, dto);
    await this.trail.record({
      action: 'account.apply',
      targetType: 'account',
      targetId: account.id,
      unitId: account.unitId,
      unitPath: account.unitPath,
      after: { ...summary(account), exception: approval.exception, reason: approval.reason },
    });
    return { ...account, approval };
  }

  @Post('accounts/import')
  @HttpCode(200)
  @UploadGate((actor, _req, refs) => refs.get(AccountImportService, { strict: false }).assertCanImport(actor))
  @FileUpload({
    field: 'file',
    multer: () => ({ storage: memoryStorage(), limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 5, parts: 6 } }),
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: '导入存量账号（Excel，全部通过才导入）/ Import an inventory sheet; any bad row rejects the whole file' })
  async import(@CurrentActor() actor: Actor, @UploadedFile() file: Express.Multer.File | undefined) {
    if (!file)
      throw new CommonException(CommonError.ValidationFailed, { fields: 'file' }, [{ field: 'file', message: '请上传 .xlsx 文件' }]);
    const result = await this.importer.import(actor, file.buffer);
    await this.trail.record({
      action: 'account.import',
      targetType: 'account',
      targetId: null,
      after: { imported: result.imported, file: file.originalname?.slice(0, 100) },
    });
    return result;
  }

  @Get('accounts/:id')
  @ApiOperation({ summary: '账号详情（含审批与备案）/ One account with its approvals and filings' })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.accounts.get(actor, id);
  }

  @Patch('accounts/:id')
  @ApiOperation({ summary: '变更、关停、注销账号（自动生成备案事项）/ Change, suspend or cancel; each change owes a filing' })
  async update(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateAccountDto) {
    const { before, after, filings } = await this.accounts.update(actor, id, dto);
    await this.trail.record({
      action: 'account.update',
      targetType: 'account',
      targetId: id,
      unitId: after.unitId,
      unitPath: after.unitPath,
      before: summary(before),
      after: { ...summary(after), filings: filings.map((f) => f.kind) },
    });
    return { ...after, filings };
  }

  @Post('accounts/:id/approval')
  @HttpCode(200)
  @ApiOperation({ summary: '主管单位审批开设申请 / A supervisor above the unit approves or rejects the opening' })
  async decide(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: DecideAccountDto) {
    const { account, approval, filing } = await this.accounts.decide(actor, id, dto.decision, dto.comment ?? null);
    await this.trail.record({
      action: dto.decision === 'approve' ? 'account.approve' : 'account.reject',
      targetType: 'account',
      targetId: id,
      unitId: account.unitId,
      unitPath: account.unitPath,
      after: { status: account.status, exception: approval.exception, comment: approval.comment },
    });
    return { ...account, approval, filing };
  }

  @Post('accounts/:id/filings')
  @HttpCode(200)
  @ApiOperation({ summary: '登记已备案 / Record that a transition was filed with the supervisor' })
  async file(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: FileDto) {
    const filing = await this.accounts.file(actor, id, dto.filingId, dto.reference ?? null);
    await this.trail.record({
      action: 'filing.file',
      targetType: 'filing',
      targetId: filing.id,
      unitId: filing.unitId,
      unitPath: filing.unitPath,
      after: { kind: filing.kind, late: filing.late, reference: filing.reference },
    });
    return filing;
  }

  @Get('filings')
  @ApiOperation({ summary: '备案事项（status=overdue 列出逾期未备与迟报）/ Filings; status=overdue lists missing and late ones' })
  filings(@CurrentActor() actor: Actor, @Query() q: FilingListQueryDto) {
    return this.accounts.listFilings(actor, q);
  }

  @Get('matrix')
  @ApiOperation({ summary: '矩阵总览：单位 × 平台 / The matrix grid: units of a subtree × platforms' })
  grid(@CurrentActor() actor: Actor, @Query() q: MatrixQueryDto) {
    return this.matrix.grid(actor, q.unitId, q.levels);
  }
}
