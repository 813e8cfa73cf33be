import { Module } from '@nestjs/common';
import { recurringJob } from '@tongfa/jobs';
import { ActivityRollupService } from './activity-rollup.service';
import { RuleEvaluationService } from './rule-evaluation.service';
import { MonitoringQueryService } from './monitoring-query.service';
import { InteractionFacts, UnknownInteractionFacts } from './interaction-facts';
import { ExpressionFindings, RegisteredExpressionFindings } from './expression-findings';

/**
 * 监测: activity per account and the inspection rules. Imported by the hub (routes) and the worker
 * (the roll-up sweep). The interaction and expression facts are ports: the inbox will bind its
 * adapter here; spot checks register theirs with RegisteredExpressionFindings. Unbound, they answer "unknown".
 */
@Module({
  providers: [
    ActivityRollupService,
    RuleEvaluationService,
    MonitoringQueryService,
    { provide: InteractionFacts, useClass: UnknownInteractionFacts },
    RegisteredExpressionFindings,
    { provide: ExpressionFindings, useExisting: RegisteredExpressionFindings },
    // Each account is due once a local day; the sweep every ten minutes picks up whoever is due.
    recurringJob('monitoring.activity-sweep', {}, 10 * 60_000),
  ],
  exports: [
    ActivityRollupService,
    RuleEvaluationService,
    MonitoringQueryService,
    InteractionFacts,
    ExpressionFindings,
    RegisteredExpressionFindings,
  ],
})
export class MonitoringModule {}
