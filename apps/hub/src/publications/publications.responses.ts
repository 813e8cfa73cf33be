import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PUBLICATION_STATUSES, TARGET_STATES } from '@tongfa/publishing';

const ACCOUNT = '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d';

/** One account's post of a publication (a publication target). */
export class PublicationTargetDto {
  @ApiProperty({ example: '01930f72-5d6e-7f80-9a1b-2c3d4e5f6a7b' })
  id: string;
  @ApiProperty({ example: ACCOUNT })
  accountId: string;
  @ApiPropertyOptional({ example: '青山市东区发布', nullable: true })
  accountName: string | null;
  @ApiProperty({ example: 'weibo', description: 'the plugin id' })
  platform: string;
  @ApiProperty({ enum: TARGET_STATES, example: 'published' })
  state: string;
  @ApiPropertyOptional({ example: '4960000000000001', nullable: true })
  remoteId: string | null;
  @ApiPropertyOptional({ example: 'https://weibo.com/1404376560/4960000000000001', nullable: true })
  url: string | null;
  @ApiPropertyOptional({
    example: 'http://127.0.0.1:3001/_sandbox/weibo/view?url=https%3A%2F%2Fweibo.com%2F1404376560%2F4960000000000001',
    nullable: true,
    type: String,
    description: 'sandbox accounts only: the simulator’s page showing the post',
  })
  viewUrl: string | null;
  @ApiProperty({ example: 1 })
  attempts: number;
  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  lastError: string | null;
}

/** An account a publication left out: it cannot take the manuscript now. */
export class SkippedAccountDto {
  @ApiProperty({ example: ACCOUNT })
  accountId: string;
  @ApiProperty({ example: '青山市东区发布' })
  accountName: string;
  @ApiProperty({ example: 'weibo', description: 'the plugin id' })
  platform: string;
  @ApiProperty({ example: '新浪微博', description: 'the platform’s Chinese name' })
  platformName: string;
  @ApiProperty({
    enum: ['account_status', 'not_connected', 'no_plugin', 'settings', 'rendition'],
    example: 'settings',
    description:
      'account_status: not running (suspended, applying…); not_connected: no working credentials; no_plugin: the platform’s plugin is not loaded; settings: a setting the plugin needs is missing or wrong; rendition: the manuscript breaks a limit render cannot fix (e.g. a video-only post without a video)',
  })
  code: string;
  @ApiProperty({ example: '账号设置不完整：必须填写“上报的操作用户真实 IP（rip，必填）”', description: 'why, in Chinese' })
  reason: string;
  @ApiProperty({ example: '单位管理员在账号页的“平台设置”中填写 rip 后再发布', description: 'what fixes it, in Chinese' })
  fix: string;
}

export class PublicationDto {
  @ApiProperty({ example: '01930f71-4c5d-7e6f-8a9b-0c1d2e3f4a5b' })
  id: string;
  @ApiProperty({ example: '01930f70-3b4c-7d5e-9f6a-7b8c9d0e1f2a' })
  manuscriptId: string;
  @ApiProperty({ example: '01930f70-3b4c-7d5e-9f6a-7b8c9d0e1f2b', description: 'the approved version sent' })
  versionId: string;
  @ApiProperty({ enum: PUBLICATION_STATUSES, example: 'publishing' })
  status: string;
  @ApiPropertyOptional({ example: null, nullable: true, type: Date })
  scheduledAt: Date | null;
  @ApiProperty({ type: [PublicationTargetDto] })
  targets: PublicationTargetDto[];
}

/**
 * What POST /manuscripts/:id/publications answers: the publication with a target per account that
 * can take the manuscript, and `skipped`, the accounts that cannot (empty when all can). When none
 * can, the request is refused with 400 PUBLICATION_NOTHING_PUBLISHABLE and the same reasons in
 * `details`.
 */
export class CreatedPublicationDto extends PublicationDto {
  @ApiProperty({
    type: [SkippedAccountDto],
    description: 'accounts left out, with why and the fix; the others publish',
  })
  skipped: SkippedAccountDto[];
}
