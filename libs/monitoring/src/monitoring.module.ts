import { DynamicModule, Module, Type } from '@nestjs/common';
import { recurringJob } from '@tongfa/jobs';
import { ActivityRollupService } from './activity-rollup.service';
import { RuleEvaluationService } from './rule-evaluation.service';
import { MonitoringQueryService } from './monitoring-query.service';
import { InteractionFacts, UnknownInteractionFacts } from './interaction-facts';
import { ExpressionFindings, NoExpressionFindings } from './expression-findings';

/** Adapters of the facts other contexts measure; an edge that has those contexts binds them. */
export interface MonitoringFactsOptions {
  /** The interaction facts (the inbox's InboxInteractionFacts); unbound, every account is "unknown". */
  interaction?: Type<InteractionFacts>;
}

const SERVICES = [ActivityRollupService, RuleEvaluationService, MonitoringQueryService];

/**
 * 监测: activity per account and the inspection rules. Imported by the hub (routes) and the worker
 * (the roll-up sweep). The interaction and expression facts are ports the contexts above bind here
 * (`forRoot`), so monitoring never imports them; the expression facts answer "unknown" until spot
 * checks bind theirs.
 */
@Module({})
export class MonitoringModule {
  static forRoot(facts: MonitoringFactsOptions = {}): DynamicModule {
    return {
      module: MonitoringModule,
      providers: [
        ...SERVICES,
        { provide: InteractionFacts, useClass: facts.interaction ?? UnknownInteractionFacts },
        { provide: ExpressionFindings, useClass: NoExpressionFindings },
        // Each account is due once a local day; the sweep every ten minutes picks up whoever is due.
        recurringJob('monitoring.activity-sweep', {}, 10 * 60_000),
      ],
      exports: [...SERVICES, InteractionFacts, ExpressionFindings],
    };
  }
}
