import { DynamicModule, Module, Type } from '@nestjs/common';
import { recurringJob } from '@tongfa/jobs';
import { ActivityRollupService } from './activity-rollup.service';
import { RuleEvaluationService } from './rule-evaluation.service';
import { MonitoringQueryService } from './monitoring-query.service';
import { InteractionFacts, UnknownInteractionFacts } from './interaction-facts';
import { ExpressionFindings, RegisteredExpressionFindings } from './expression-findings';

/** Adapters of the facts other contexts measure; an edge that has those contexts binds them. */
export interface MonitoringFactsOptions {
  /** The interaction facts (the inbox's InboxInteractionFacts); unbound, every account is "unknown". */
  interaction?: Type<InteractionFacts>;
}

const SERVICES = [ActivityRollupService, RuleEvaluationService, MonitoringQueryService];

/**
 * 监测: activity per account and the inspection rules. Imported by the hub (routes) and the worker
 * (the roll-up sweep), once each, through `forRoot`: global, so the contexts above (spot checks)
 * use the same instances. The interaction and expression facts are ports bound from above, so
 * monitoring never imports those contexts: the edge names the interaction adapter here (the inbox's),
 * spot checks register theirs with RegisteredExpressionFindings at start-up. Unbound, they answer "unknown".
 */
@Module({})
export class MonitoringModule {
  static forRoot(facts: MonitoringFactsOptions = {}): DynamicModule {
    return {
      module: MonitoringModule,
      global: true,
      providers: [
        ...SERVICES,
        { provide: InteractionFacts, useClass: facts.interaction ?? UnknownInteractionFacts },
        RegisteredExpressionFindings,
        { provide: ExpressionFindings, useExisting: RegisteredExpressionFindings },
        // Each account is due once a local day; the sweep every ten minutes picks up whoever is due.
        recurringJob('monitoring.activity-sweep', {}, 10 * 60_000),
      ],
      exports: [...SERVICES, InteractionFacts, ExpressionFindings, RegisteredExpressionFindings],
    };
  }
}
