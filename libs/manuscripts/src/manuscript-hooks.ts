import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Manuscript, ManuscriptVersion } from './entities';
import { AdaptationRules, NO_PLATFORMS } from './adaptations';

/** Checks a new version before it is saved; throws a domain exception to refuse the edit. */
export type EditCheck = (m: EntityManager, manuscript: Manuscript, current: ManuscriptVersion, next: ManuscriptVersion) => Promise<void>;

/** Told after a version's final approval has committed. */
export type ApprovalListener = (manuscript: Manuscript) => Promise<void>;

/**
 * A step of the review that people should hear of, told after it committed: a submission (the
 * first steps open), an approval that opens the next step, the final approval, a return.
 */
export interface ReviewEvent {
  kind: 'submitted' | 'step_approved' | 'approved' | 'returned';
  manuscript: Manuscript;
  /** Who acted: the submitting editor or the deciding reviewer. */
  actorId: string;
  comment?: string | null;
}

export type ReviewListener = (event: ReviewEvent) => Promise<void>;

/**
 * The port through which contexts above manuscripts (campaigns) take part in a manuscript's life
 * without manuscripts importing them: they register at start-up. Approval listeners run after the
 * commit and their failures are only logged, so a reviewer's decision never fails because of a
 * listener; whoever listens keeps its own sweep for approvals it missed.
 */
@Injectable()
export class ManuscriptHooks {
  private readonly logger = new Logger('ManuscriptHooks');
  private readonly editChecks: EditCheck[] = [];
  private readonly approvalListeners: ApprovalListener[] = [];
  private rules: AdaptationRules = NO_PLATFORMS;
  private readonly reviewListeners: ReviewListener[] = [];

  onEdit(check: EditCheck): void {
    this.editChecks.push(check);
  }

  onApproved(listener: ApprovalListener): void {
    this.approvalListeners.push(listener);
  }

  /** Publishing binds the installed plugins' limits, which per-platform adaptations are checked against. */
  bindAdaptationRules(rules: AdaptationRules): void {
    this.rules = rules;
  }

  get adaptationRules(): AdaptationRules {
    return this.rules;
  }

  onReview(listener: ReviewListener): void {
    this.reviewListeners.push(listener);
  }

  /** Tells the review listeners; like approvals, a failing listener is logged and never fails the decision. */
  async reviewed(event: ReviewEvent): Promise<void> {
    for (const listener of this.reviewListeners) {
      try {
        await listener(event);
      } catch (e) {
        this.logger.warn(`review listener failed for ${event.manuscript.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  async checkEdit(m: EntityManager, manuscript: Manuscript, current: ManuscriptVersion, next: ManuscriptVersion): Promise<void> {
    for (const check of this.editChecks) await check(m, manuscript, current, next);
  }

  async approved(manuscript: Manuscript): Promise<void> {
    for (const listener of this.approvalListeners) {
      try {
        await listener(manuscript);
      } catch (e) {
        this.logger.warn(`approval listener failed for ${manuscript.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}
