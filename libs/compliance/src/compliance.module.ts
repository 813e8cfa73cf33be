import { Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ComplianceService } from './compliance.service';
import { LexiconRegistry } from './lexicon/lexicon-registry';
import { LexiconService } from './lexicon/lexicon.service';
import { ComplianceGate } from '@tongfa/manuscripts';
import { LexiconComplianceGate } from './compliance-gate.adapter';

/** Publishes the default lexicon at the first start of any process on an empty database. */
@Injectable()
export class LexiconSeeder implements OnApplicationBootstrap {
  constructor(private readonly lexicons: LexiconService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.lexicons.ensureSeeded();
  }
}

@Global()
@Module({
  providers: [
    LexiconRegistry,
    LexiconService,
    ComplianceService,
    LexiconSeeder,
    { provide: ComplianceGate, useClass: LexiconComplianceGate },
  ],
  exports: [LexiconRegistry, LexiconService, ComplianceService, ComplianceGate],
})
export class ComplianceModule {}
