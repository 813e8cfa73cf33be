import { Injectable } from '@nestjs/common';

/**
 * Serious expression errors (严重表述错误) found in an account's posts. Spot checks (libs/supervision)
 * will feed the real adapter with confirmed findings; until then nothing has looked, so the fact is
 * `unknown` rather than a clean bill.
 */
export type ExpressionFact =
  { checked: false } | { checked: true; checkedAt: Date; findings: { url: string; foundAt: Date; note: string }[] };

export abstract class ExpressionFindings {
  abstract forAccounts(accountIds: string[]): Promise<Map<string, ExpressionFact>>;
}

@Injectable()
export class NoExpressionFindings extends ExpressionFindings {
  forAccounts(accountIds: string[]): Promise<Map<string, ExpressionFact>> {
    return Promise.resolve(new Map(accountIds.map((id) => [id, { checked: false } as const])));
  }
}

/**
 * The port's binding: the context that checks posts (spot checks, above monitoring) registers its
 * source at start-up, so the dependency points from it to here; until one does, nothing is checked.
 */
@Injectable()
export class RegisteredExpressionFindings extends ExpressionFindings {
  private source: ExpressionFindings = new NoExpressionFindings();

  register(source: ExpressionFindings): void {
    this.source = source;
  }

  forAccounts(accountIds: string[]): Promise<Map<string, ExpressionFact>> {
    return this.source.forAccounts(accountIds);
  }
}
