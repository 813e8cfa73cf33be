import { Injectable } from '@nestjs/common';
import { ComplianceCheckOptions, ComplianceGate, ComplianceSubject, ComplianceVerdict } from '@tongfa/manuscripts';
import { ComplianceService } from './compliance.service';

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
    });
    const ref = (f: (typeof result.blocking)[number]) => ({ id: f.id, message: f.message, category: f.category });
    const deferPrivacy = opts.phase === 'submit' || opts.phase === 'preview';
    const blocking = result.blocking.filter((f) => !(deferPrivacy && f.category === 'privacy')).map(ref);
    const warnings = [...result.blocking.filter((f) => deferPrivacy && f.category === 'privacy'), ...result.warnings].map(ref);
    return { blocking, warnings };
  }
}
