import { ApiNextCursor } from '../common/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuditEntryDto {
  @ApiProperty({ example: 1024 })
  seq: number;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' })
  at: Date;
  @ApiPropertyOptional({ example: '01930f70-1a2b-7c3d-9e4f-5a6b7c8d9e0f', nullable: true, type: String })
  actorId: string | null;
  @ApiPropertyOptional({ example: 'admin.tianhe', nullable: true, type: String })
  actorName: string | null;
  @ApiPropertyOptional({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d', nullable: true, type: String })
  unitId: string | null;
  @ApiPropertyOptional({
    example: '/01930f6e-6a0b-7c3d-8e4f-5a6b7c8d9e0f/01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d/',
    nullable: true,
    type: String,
  })
  unitPath: string | null;
  @ApiProperty({ example: 'user.create' })
  action: string;
  @ApiProperty({ example: { zh: '创建用户', en: 'User created' }, description: 'what the action means, zh and en' })
  actionLabel: { zh: string; en: string };
  @ApiPropertyOptional({ example: { zh: '用户', en: 'User' }, nullable: true, type: Object })
  targetTypeLabel: { zh: string; en: string } | null;
  @ApiPropertyOptional({
    example: '东区采编 李明',
    nullable: true,
    type: String,
    description: 'the target by name (title, account, user, unit), when it still exists',
  })
  targetName: string | null;
  @ApiPropertyOptional({ example: 'user', nullable: true, type: String })
  targetType: string | null;
  @ApiPropertyOptional({ example: '01930f71-2b3c-7d4e-8f5a-6b7c8d9e0f1a', nullable: true, type: String })
  targetId: string | null;
  @ApiProperty({ example: 'success', enum: ['success', 'failure'] })
  result: string;
  @ApiPropertyOptional({ example: null, nullable: true, type: Object, description: 'summary before the change, secrets removed' })
  before: Record<string, unknown> | null;
  @ApiPropertyOptional({ example: { username: 'editor.tianhe', roles: [{ role: 'editor' }] }, nullable: true, type: Object })
  after: Record<string, unknown> | null;
  @ApiPropertyOptional({ example: '10.20.30.40', nullable: true, type: String })
  ip: string | null;
  @ApiPropertyOptional({ example: 'c0df91be-7f82-45a7-8035-ba6356c636f3', nullable: true, type: String })
  requestId: string | null;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: 'hash of the previous entry' })
  prevHash: string;
  @ApiProperty({ example: '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752' })
  hash: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items: AuditEntryDto[];
  @ApiProperty({ example: 5120 })
  total: number;
  @ApiNextCursor()
  next?: string | null;
}

export class AuditProblemDto {
  @ApiProperty({ example: 1024 })
  seq: number;
  @ApiProperty({ example: 'edited', enum: ['edited', 'deleted', 'chain_broken', 'head_mismatch'] })
  problem: string;
  @ApiProperty({ example: '第 1024 条记录内容被篡改 / entry 1024 was edited' })
  message: string;
}

export class AuditVerifyDto {
  @ApiProperty({ example: true })
  ok: boolean;
  @ApiProperty({ example: 5120 })
  checked: number;
  @ApiPropertyOptional({ example: 1, nullable: true, type: Number })
  firstSeq: number | null;
  @ApiPropertyOptional({ example: 5120, nullable: true, type: Number })
  lastSeq: number | null;
  @ApiProperty({ type: [AuditProblemDto], example: [] })
  problems: AuditProblemDto[];
}
