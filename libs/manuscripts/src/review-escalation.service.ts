import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { Clock } from '@tongfa/core';
import { AuditService } from '@tongfa/audit';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { JobHandler, JobPayloads, JobQueue } from '@tongfa/jobs';
import { Manuscript, ManuscriptStatus } from './entities';
import { nextEscalationDue, openSteps, stepDue, TOP_REVIEW_LEVEL } from './review-steps';

export type EscalationOutcome = 'escalated' | 'not_due' | 'nothing';

/**
 * Emergency review deadlines. Each open step with a limit gets a delayed `review.escalate` job (a
 * hint); when it fires and the step of that version is still undecided, the step is marked
 * escalated (a reviewer one level up may decide it), the duty officers over the unit get an alert
 * and the audit log a record. The manuscript row decides: `escalationDueAt` says what is overdue,
 * so a minute sweep recovers lost hints, and a late, early or repeated job does no harm.
 */
@Injectable()
export class ReviewEscalation {
  private readonly logger = new Logger('ReviewEscalation');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    private readonly alerts: AlertsService,
    private readonly audit: AuditService,
  ) {}

  /** Enqueues a delayed escalation hint for every open step with a deadline. Never throws: the sweep is the backstop. */
  async schedule(ms: Manuscript): Promise<void> {
    if (ms.status !== ManuscriptStatus.InReview) return;
    for (const step of openSteps(ms)) {
      const due = stepDue(ms, step);
      if (!due || (ms.escalatedSteps ?? []).includes(step)) continue;
      try {
        // One job per version, step and deadline: re-scheduling after another step's approval adds nothing.
        await this.queue.add(
          'review.escalate',
          { manuscriptId: ms.id, versionId: ms.currentVersionId, step },
          {
            jobId: `review.escalate:${ms.currentVersionId}:${step}:${due.getTime()}`,
            delayMs: Math.max(0, due.getTime() - this.clock.now().getTime()),
          },
        );
      } catch (e) {
        this.logger.warn(`could not schedule escalation of ${ms.id} step ${step}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  @JobHandler('review.escalate')
  async handleEscalate({ manuscriptId, versionId, step }: JobPayloads['review.escalate']): Promise<EscalationOutcome> {
    const outcome = await this.escalate(manuscriptId, versionId, step);
    if (outcome === 'not_due') {
      // Fired early (another process's clock, or an old submission's job): wait for the real deadline.
      const ms = await this.ds.getRepository(Manuscript).findOneBy({ id: manuscriptId });
      if (ms) await this.schedule(ms);
    }
    return outcome;
  }

  @JobHandler('review.escalation-sweep')
  async handleSweep(): Promise<number> {
    const due = await this.ds.getRepository(Manuscript).find({
      where: { status: ManuscriptStatus.InReview, escalationDueAt: LessThanOrEqual(this.clock.now()) },
      order: { escalationDueAt: 'ASC' },
      take: 200,
    });
    let n = 0;
    for (const ms of due) {
      for (const step of openSteps(ms)) {
        if ((await this.escalate(ms.id, ms.currentVersionId, step)) === 'escalated') n++;
      }
    }
    return n;
  }

  /** Escalates one step if, on the row as it is now, that step of that version is overdue and undecided. */
  async escalate(manuscriptId: string, versionId: string, step: number): Promise<EscalationOutcome> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const outcome = await this.ds.transaction(async (m) => {
        const ms = await m.findOneBy(Manuscript, { id: manuscriptId });
        if (!ms || ms.status !== ManuscriptStatus.InReview || ms.currentVersionId !== versionId || !ms.chain) return 'nothing';
        if (!openSteps(ms).includes(step) || (ms.escalatedSteps ?? []).includes(step)) return 'nothing';
        const due = stepDue(ms, step);
        const now = this.clock.now();
        if (!due) return 'nothing';
        if (due.getTime() > now.getTime()) return 'not_due';
        ms.escalatedSteps = [...(ms.escalatedSteps ?? []), step].sort((a, b) => a - b);
        // A sequential chain's one open step is now escalated; parallel steps keep their submission-based deadlines.
        const nextDue = nextEscalationDue(ms, ms.submittedAt!);
        // Conditional on the revision: a decision landing meanwhile makes this pass re-read the row,
        // and of two deliveries of the job only one marks the step (and raises the alert).
        const res = await m
          .createQueryBuilder()
          .update(Manuscript)
          .set({ escalatedSteps: ms.escalatedSteps, escalationDueAt: nextDue, revision: ms.revision + 1 })
          .where('id = :id AND revision = :rev', { id: ms.id, rev: ms.revision })
          .execute();
        if (!res.affected) return 'retry';
        await this.report(m, ms, step);
        return 'escalated';
      });
      if (outcome !== 'retry') return outcome;
    }
    throw new Error(`manuscript ${manuscriptId} kept changing while escalating step ${step}`);
  }

  private async report(m: EntityManager, ms: Manuscript, step: number): Promise<void> {
    const s = ms.chain!.steps[step]!;
    const to = s.level < TOP_REVIEW_LEVEL ? { zh: `${s.level + 1} 级审核人`, en: `level ${s.level + 1} reviewers` } : null;
    await this.alerts.raise(
      {
        kind: DutyAlertKind.ReviewEscalated,
        severity: DutyAlertSeverity.Critical,
        unitId: ms.unitId,
        unitPath: ms.unitPath,
        title: { zh: `紧急稿件审核超时：${ms.title}`, en: `Emergency review overdue: ${ms.title}` },
        message: {
          zh: `稿件“${ms.title}”第 ${ms.currentVersionNumber} 版的${s.name}（${s.level} 级）超过 ${s.limitMinutes} 分钟未审核，${
            to ? `已升级，${to.zh}可代为审核` : '请协调上级单位终审人员审核'
          }。`,
          en: `Step ${s.name} (level ${s.level}) of version ${ms.currentVersionNumber} of "${ms.title}" was not decided within ${s.limitMinutes} minutes; ${
            to ? `escalated, ${to.en} may now decide it` : 'find a final reviewer at a superior unit'
          }.`,
        },
        link: { type: 'manuscript', id: ms.id },
        dedupeKey: `review_escalated:${ms.currentVersionId}:${step}`,
      },
      m,
    );
    await this.audit.record(
      {
        actorId: null,
        actorName: 'system',
        unitId: ms.unitId,
        unitPath: ms.unitPath,
        action: 'review.escalate',
        targetType: 'manuscript',
        targetId: ms.id,
        after: {
          versionId: ms.currentVersionId,
          step,
          level: s.level,
          limitMinutes: s.limitMinutes ?? null,
          escalatedToLevel: s.level < TOP_REVIEW_LEVEL ? s.level + 1 : null,
        },
      },
      m,
    );
  }
}
