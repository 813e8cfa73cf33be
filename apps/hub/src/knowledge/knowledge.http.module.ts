import { Module } from '@nestjs/common';
import { KnowledgeModule, KnowledgeSearchModule } from '@tongfa/knowledge';
import { AuditTrail } from '../common/audit-trail';
import { KnowledgeController } from './knowledge.controller';

/** The hub's edge of the Q&A library: /qa/... routes. */
@Module({
  imports: [KnowledgeModule, KnowledgeSearchModule],
  controllers: [KnowledgeController],
  providers: [AuditTrail],
})
export class KnowledgeHttpModule {}
