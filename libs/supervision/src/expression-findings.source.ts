import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { ExpressionFact, ExpressionFindings, RegisteredExpressionFindings } from '@tongfa/monitoring';
import { Rectification, SpotCheckFinding } from './entities';

const ITEM = 'national.expression-errors';

/**
 * 严重表述错误 as spot checks found them, for monitoring's veto rule: an account is checked once a
 * checker decided the item in any round; each failure counts until its rectification is closed.
 */
@Injectable()
export class SpotCheckExpressionFindings extends ExpressionFindings implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly registry: RegisteredExpressionFindings,
  ) {
    super();
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async forAccounts(accountIds: string[]): Promise<Map<string, ExpressionFact>> {
    const out = new Map<string, ExpressionFact>(accountIds.map((id) => [id, { checked: false }]));
    if (!accountIds.length) return out;
    const decided = await this.ds.getRepository(SpotCheckFinding).find({
      where: { accountId: In(accountIds), item: ITEM, decidedBy: Not(IsNull()) },
      select: { id: true, accountId: true, result: true, note: true, evidence: true, decidedAt: true },
    });
    const failed = decided.filter((f) => f.result === 'fail');
    const closed = new Set(
      failed.length
        ? (
            await this.ds.getRepository(Rectification).find({
              where: { findingId: In(failed.map((f) => f.id)), state: 'closed' },
              select: { findingId: true },
            })
          ).map((r) => r.findingId)
        : [],
    );
    for (const f of decided) {
      const prev = out.get(f.accountId);
      const fact = prev?.checked ? prev : { checked: true as const, checkedAt: f.decidedAt, findings: [] };
      if (f.decidedAt.getTime() > fact.checkedAt.getTime()) fact.checkedAt = f.decidedAt;
      if (f.result === 'fail' && !closed.has(f.id)) {
        fact.findings.push({ url: typeof f.evidence.url === 'string' ? f.evidence.url : '', foundAt: f.decidedAt, note: f.note });
      }
      out.set(f.accountId, fact);
    }
    return out;
  }
}
