import { Injectable } from '@nestjs/common';
import { ComplianceCheckOptions, ComplianceGate, ComplianceSubject, ComplianceVerdict } from '@tongfa/manuscripts';
import { ComplianceService } from './compliance.service';
import { submitRule } from './finding';

/**
 * The manuscripts' compliance port, answered by the lexicon checks. At submission personal data
 * is passed on to the reviewer as a warning instead of stopping the editor; from approval on it
 * blocks unless a reviewer acknowledged it as intended.
 */
@Injectable()
export class LexiconComplianceGate extends ComplianceGate {
  constructor(private readonly compliance: ComplianceService) {
    super();
  }

  async check(subject: ComplianceSubject, opts: ComplianceCheckOptions = { phase: 'preview' }): Promise<ComplianceVerdict> {
    const result = await this.compliance.check({
      title: subject.title,
      summary: subject.summary,
      bodyHtml: subject.bodyHtml,
      source: subject.source,
      acknowledged: opts.acknowledged,
      trustedSources: subject.source?.type === 'reprint' ? await this.compliance.unitNamesOnPath(subject.unitPath) : [],
    });
    const ref = (f: (typeof result.blocking)[number]) => ({ id: f.id, message: f.message, category: f.category });
    if (opts.phase === 'submit' || opts.phase === 'preview') {
      // The editor's button reads the same rule from /compliance/check (submitRule).
      const rule = submitRule(result);
      const deferred = new Set(rule.forReviewer);
      return {
        blocking: result.blocking.filter((f) => rule.mustFix.includes(f.id)).map(ref),
        warnings: [...result.blocking.filter((f) => deferred.has(f.id)), ...result.warnings].map(ref),
      };
    }
    return { blocking: result.blocking.map(ref), warnings: result.warnings.map(ref) };
  }
}
