import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res, Sse, MessageEvent } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor } from '@tongfa/identity';
import { CommonError, CommonException } from '@tongfa/core';
import { ManuscriptsService } from '@tongfa/manuscripts';
import {
  CorrectionsService,
  PublicationsService,
  PublicationTarget,
  RenditionService,
  ScheduleService,
  TargetActionsService,
  TERMINAL_STATES,
} from '@tongfa/publishing';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import {
  CalendarQueryDto,
  CorrectionDto,
  CreatePublicationDto,
  PlanDto,
  PublicationFilterDto,
  RenditionQueryDto,
  RescheduleDto,
  RetractDto,
  RetryTargetDto,
} from './publications.dto';
import { CreatedPublicationDto, PublicationDto } from './publications.responses';

@ApiTags('publications')
@ApiBearerAuth()
@Controller()
export class PublicationsController {
  constructor(
    private readonly publications: PublicationsService,
    private readonly corrections: CorrectionsService,
    private readonly targetActions: TargetActionsService,
    private readonly schedule: ScheduleService,
    private readonly renditions: RenditionService,
    private readonly manuscripts: ManuscriptsService,
    private readonly trail: AuditTrail,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get('manuscripts/:id/renditions')
  @ApiOperation({ summary: '各平台预览（含截断、裁剪等提示）/ Each platform’s rendition with every warning' })
  async renditionsOf(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: RenditionQueryDto) {
    const ms = await this.manuscripts.find(this.ds.manager, actor, id);
    const ids = q.accountIds?.split(',').map((s) => s.trim());
    if (ids?.some((x) => !/^[0-9a-f-]{36}$/i.test(x))) {
      throw new CommonException(CommonError.ValidationFailed, { fields: 'accountIds' }, [
        { field: 'accountIds', message: 'comma-separated UUIDs' },
      ]);
    }
    const items = await this.renditions.preview(ms, ids);
    return { versionId: ms.currentVersionId, items };
  }

  @Post('manuscripts/:id/publications')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key returns the same publication, never a second one' })
  @ApiOperation({
    summary: '发布到所选账号（写入发件箱，异步发布）/ Publish the approved version to accounts (outbox; asynchronous)',
    description:
      'Accounts that cannot take the manuscript (suspended, not connected, a setting their plugin needs missing, a limit render cannot fix such as a video-only platform without a video) are left out and listed in `skipped` with the reason and the fix in Chinese; the others publish. `GET /manuscripts/:id/renditions` shows the same per account (`publishable`, `skip`) beforehand.',
  })
  @ApiCreatedResponse({ type: CreatedPublicationDto, description: 'created; `skipped` lists the accounts left out' })
  @ApiOkResponse({ type: CreatedPublicationDto, description: 'the same Idempotency-Key again: the publication it created' })
  @ApiBadRequestResponse({
    description: 'PUBLICATION_NOTHING_PUBLISHABLE: none of the accounts can take it (details: each account, why, the fix)',
  })
  async create(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreatePublicationDto,
    @Headers('idempotency-key') idemKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (idemKey !== undefined && !/^[\w.:-]{1,128}$/.test(idemKey)) {
      throw new CommonException(CommonError.ValidationFailed, { fields: 'Idempotency-Key' }, [
        { field: 'Idempotency-Key', message: '1–128 of letters, digits, _ . : -' },
      ]);
    }
    const { view, created } = await this.publications.create(actor, id, dto, idemKey);
    if (!created) {
      res.status(200);
      return view;
    }
    await this.trail.record({
      action: 'publication.create',
      targetType: 'publication',
      targetId: view.id,
      unitId: view.unitId,
      unitPath: view.unitPath,
      after: {
        manuscriptId: id,
        versionId: view.versionId,
        accounts: view.targets.map((t) => t.accountId),
        scheduledAt: view.scheduledAt,
        skipped: view.skipped.map((k) => ({ accountId: k.accountId, code: k.code })),
      },
    });
    return view;
  }

  @Get('publications')
  @ApiOperation({
    summary: '发布记录（可按状态、平台、账号、单位、时间、标题筛选）/ Publications in the caller’s subtree, filtered',
    description:
      'Filters combine (AND): `status` (any of, comma-separated), `platform` / `accountId` / `targetState` (a target matches), `unitId` (its subtree; a unit outside the caller’s gives an empty list), `from`/`to` (created), `q` (title contains).',
  })
  async list(@CurrentActor() actor: Actor, @Query() q: PublicationFilterDto) {
    const page = await this.publications.list(actor, q);
    // The manuscript's title and the unit's name (one statement), and each row's platforms and
    // their states (what a list filter by platform or state is about), read side by side, so a
    // list of publications can be read without a request per row.
    const pubIds = page.items.map((p) => p.id);
    // Plain parameterized reads: through the query builder and find() these two cost about as
    // much CPU as the rest of the request.
    const marks = pubIds.map(() => '?').join(', ');
    const [names, targets] = pubIds.length
      ? await Promise.all([
          this.ds.query(
            `SELECT p.id AS id, m.title AS title, u.name AS unitName FROM publication p
             LEFT JOIN manuscript m ON m.id = p.manuscriptId LEFT JOIN unit u ON u.id = p.unitId WHERE p.id IN (${marks})`,
            pubIds,
          ) as Promise<{ id: string; title: string | null; unitName: string | null }[]>,
          this.ds.query(
            `SELECT publicationId, platform, state FROM publication_target WHERE publicationId IN (${marks}) ORDER BY createdAt, id`,
            pubIds,
          ) as Promise<Pick<PublicationTarget, 'publicationId' | 'platform' | 'state'>[]>,
        ])
      : [[], []];
    const byId = new Map(names.map((n) => [n.id, n]));
    return {
      ...page,
      items: page.items.map((p) => ({
        ...p,
        title: byId.get(p.id)?.title ?? null,
        unitName: byId.get(p.id)?.unitName ?? null,
        platforms: targets.filter((t) => t.publicationId === p.id).map((t) => ({ platform: t.platform, state: t.state })),
      })),
    };
  }

  @Get('publications/:id')
  @ApiOperation({ summary: '发布详情（每个账号的状态）/ A publication with the state of every target' })
  @ApiOkResponse({ type: PublicationDto })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.publications.get(actor, id);
  }

  @Get('publications/:id/attempts')
  @ApiOperation({ summary: '发布尝试记录 / Every attempt made at the platforms' })
  attempts(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.publications.attempts(actor, id);
  }

  @Post('publications/:id/retract')
  @HttpCode(200)
  @ApiOperation({ summary: '一键撤回（各平台）/ Take the post down on every platform that allows it' })
  async retract(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: RetractDto) {
    const result = await this.publications.retract(actor, id, dto.reason);
    await this.trail.record({
      action: 'publication.retract',
      targetType: 'publication',
      targetId: id,
      unitId: result.view.unitId,
      unitPath: result.view.unitPath,
      after: { reason: dto.reason, notRetractable: result.notRetractable.length },
    });
    return result;
  }

  @Post('publications/:id/corrections')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key returns the same correction, never a second one' })
  @ApiOperation({
    summary: '更正已发布稿件（新版本须已审核通过）/ Correct the published posts with a newer approved version',
    description: [
      'Allowed only when the manuscript’s current version is approved and newer than the version this publication sent (先审后发); otherwise 409 `CORRECTION_NOT_APPROVED`. 409 `CORRECTION_NOTHING_TO_CORRECT` when none of its posts is live.',
      'Creates a correction publication (`correctionOf` = this publication) with one target per target of this publication that is `published`; its `correctionMode` says the path:',
      '- `edit`: the plugin declares `edit`; the post is changed in place, its remote id stays (state `editing` → `published`). On failure the original target takes the post back.',
      '- `replace`: the plugin can retract but not edit; the original target is retracted (`retracting` → `retracted`), the correction target waits in `awaiting_retract` and only then publishes (`queued` → … → `published`). If the retract fails the correction target fails too, so two versions are never live at once.',
      '- `republish`: the platform can do neither; a new post is published and the target carries a `note` that the old post must be removed by hand.',
      'Original targets record `supersededBy` (and end `superseded`, or `retracted` when replaced).',
      'Built-in platforms today: weibo, wechat, douyin, toutiao, nanfang and own-app all take `replace`. Weibo has no edit API (statuses/destroy + share); WeChat’s draft/update only edits drafts, a free-published article cannot be edited (freepublish/delete + a new draft and submit); Douyin has no edit of a posted video (video/delete + create); Toutiao, 南方号 and own-app have no documented update call (their delete, then a new push). A third-party plugin that declares `edit` gets the `edit` path.',
    ].join('\n\n'),
  })
  @ApiConflictResponse({
    description:
      'no newer approved version (CORRECTION_NOT_APPROVED), nothing live to correct, or the Idempotency-Key was used for another request',
  })
  async correct(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CorrectionDto,
    @Headers('idempotency-key') idemKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (idemKey !== undefined && !/^[\w.:-]{1,128}$/.test(idemKey)) {
      throw new CommonException(CommonError.ValidationFailed, { fields: 'Idempotency-Key' }, [
        { field: 'Idempotency-Key', message: '1–128 of letters, digits, _ . : -' },
      ]);
    }
    const { view, created, original } = await this.corrections.correct(actor, id, dto.reason, idemKey);
    if (!created) {
      res.status(200);
      return view;
    }
    await this.trail.record({
      action: 'publication.correct',
      targetType: 'publication',
      targetId: view.id,
      unitId: view.unitId,
      unitPath: view.unitPath,
      before: { publicationId: original.id, versionId: original.versionId },
      after: {
        correctionOf: original.id,
        versionId: view.versionId,
        reason: dto.reason,
        targets: view.targets.map((t) => ({
          accountId: t.accountId,
          platform: t.platform,
          mode: t.correctionMode,
          replaces: t.replacesTargetId,
        })),
      },
    });
    return view;
  }

  @Post('publications/:id/targets/:targetId/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: '重试一个平台的发布 / Send one stopped target back through the outbox',
    description:
      'For a target that is `failed`, `needs_reauth` or `unconfirmed`: it goes back to `queued` and the worker publishes it (never a direct platform call). An `unconfirmed` target needs `confirmNotPublished: true` (the editor checked the platform), else 409 `TARGET_UNCONFIRMED_CHECK_FIRST`. A target already on its way (queued, retrying, publishing) answers 200 with `changed: false`, so a repeated request does nothing. 409 `TARGET_NOT_RETRYABLE` with the reason in Chinese for a published target, a retracted or corrected publication, or an account that cannot publish now. The unit’s editors and unit admins only (403 for others who can read it).',
  })
  @ApiConflictResponse({ description: 'TARGET_NOT_RETRYABLE or TARGET_UNCONFIRMED_CHECK_FIRST' })
  @ApiForbiddenResponse({ description: 'not an editor or unit admin of the publication’s unit' })
  async retryTarget(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('targetId', new ParseUUIDPipe()) targetId: string,
    @Body() dto: RetryTargetDto,
  ) {
    const { view, changed, target } = await this.targetActions.retry(actor, id, targetId, dto);
    if (changed) {
      await this.trail.record({
        action: 'publication.target.retry',
        targetType: 'publication',
        targetId: id,
        unitId: view.unitId,
        unitPath: view.unitPath,
        before: { targetId, accountId: target.accountId, platform: target.platform, state: target.state, lastError: target.lastError },
        after: { state: 'queued', ...(target.state === 'unconfirmed' ? { confirmedNotPublished: true } : {}) },
      });
    }
    return { ...view, changed };
  }

  @Post('publications/:id/targets/:targetId/retract')
  @HttpCode(200)
  @ApiOperation({
    summary: '撤回一个平台的稿件 / Take one platform’s post down',
    description:
      'A `published` target moves to `retracting` and the worker retracts it; the others stay. Already retracting or retracted: 200 with `changed: false`. 409 `TARGET_NOT_RETRACTABLE` (reason in Chinese) when it is not published or its platform cannot retract. The unit’s editors and unit admins only.',
  })
  @ApiConflictResponse({ description: 'TARGET_NOT_RETRACTABLE' })
  async retractTarget(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('targetId', new ParseUUIDPipe()) targetId: string,
    @Body() dto: RetractDto,
  ) {
    const { view, changed, target } = await this.targetActions.retract(actor, id, targetId);
    if (changed) {
      await this.trail.record({
        action: 'publication.target.retract',
        targetType: 'publication',
        targetId: id,
        unitId: view.unitId,
        unitPath: view.unitPath,
        before: { targetId, accountId: target.accountId, platform: target.platform, state: target.state, url: target.url },
        after: { state: 'retracting', reason: dto.reason },
      });
    }
    return { ...view, changed };
  }

  @Put('publications/:id/schedule')
  @ApiOperation({
    summary: '调整定时发布时间 / Move a scheduled publication that has not started',
    description:
      'Only while every target is still `pending` and the time is more than 5 seconds away; otherwise 409 `SCHEDULE_LOCKED` with the reason in Chinese. 400 `SCHEDULE_IN_PAST` for a time already past. The unit’s editors and unit admins only.',
  })
  @ApiConflictResponse({ description: 'SCHEDULE_LOCKED' })
  async reschedule(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: RescheduleDto) {
    const { before, pub } = await this.schedule.reschedule(actor, id, dto.scheduledAt);
    await this.trail.record({
      action: 'publication.schedule',
      targetType: 'publication',
      targetId: id,
      unitId: pub.unitId,
      unitPath: pub.unitPath,
      before: { scheduledAt: before },
      after: { scheduledAt: pub.scheduledAt },
    });
    return this.publications.get(actor, id);
  }

  @Get('manuscripts/:id/plan')
  @ApiOperation({ summary: '稿件的计划发布时间 / A manuscript’s planned publishing time' })
  getPlan(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.schedule.getPlan(actor, id);
  }

  @Put('manuscripts/:id/plan')
  @ApiOperation({
    summary: '设定计划发布时间 / Set, move or clear a manuscript’s planned time',
    description:
      'The unit’s editors, until the review completes (then 409 `SCHEDULE_LOCKED`). Publishing the approved manuscript without a `scheduledAt` of its own schedules it at this time (when still ahead) and uses the plan up. `plannedAt: null` clears it.',
  })
  async setPlan(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: PlanDto) {
    const { before, view, unitId, unitPath } = await this.schedule.setPlan(actor, id, dto);
    await this.trail.record({
      action: 'manuscript.plan',
      targetType: 'manuscript',
      targetId: id,
      unitId,
      unitPath,
      before: { plannedAt: before },
      after: { plannedAt: view.plannedAt, accountIds: view.accountIds },
    });
    return view;
  }

  @Get('calendar')
  @ApiOperation({
    summary: '发布日历（计划、定时与已发布）/ Planned, scheduled and published items in a time window',
    description:
      '`items`: `kind: plan` (a manuscript’s planned time) and `kind: publication` (at its scheduledAt, else when it was made), each with its accounts, `movable` and, when not, `lockedReason` {zh, en}. Within the caller’s subtree; `unitId` narrows to a subtree, `accountId` to one account. At most 62 days per request.',
  })
  calendar(@CurrentActor() actor: Actor, @Query() q: CalendarQueryDto) {
    return this.schedule.calendar(actor, q);
  }

  @Sse('publications/:id/events')
  @ApiOperation({ summary: '发布状态实时推送（SSE）/ Target changes as server-sent events' })
  async events(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<Observable<MessageEvent>> {
    const first = await this.publications.get(actor, id);
    // The rows are the record and may change in any process: watch them, not an in-process bus.
    return new Observable<MessageEvent>((sub) => {
      const seen = new Map<string, string>();
      let stopped = false;
      let timer: NodeJS.Timeout | null = null;
      const emit = (view: typeof first) => {
        for (const t of view.targets) {
          const sig = `${t.state}|${t.attempts}|${t.url ?? ''}|${t.lastError ?? ''}`;
          if (seen.get(t.id) !== sig) {
            seen.set(t.id, sig);
            sub.next({ type: 'target', id: `${t.id}:${seen.size}:${Date.now()}`, data: t });
          }
        }
        sub.next({ type: 'publication', data: { id: view.id, status: view.status } });
        if (view.targets.every((t) => TERMINAL_STATES.includes(t.state))) {
          sub.next({ type: 'end', data: { id: view.id, status: view.status } });
          sub.complete();
          stopped = true;
        }
      };
      const loop = async () => {
        if (stopped) return;
        try {
          emit(await this.publications.view(first));
        } catch (e) {
          sub.error(e);
          return;
        }
        if (!stopped) timer = setTimeout(() => void loop(), 500);
      };
      emit(first);
      if (!stopped) timer = setTimeout(() => void loop(), 500);
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      };
    });
  }
}
