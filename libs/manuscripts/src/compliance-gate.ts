/** What the review needs to know from the compliance checks (五关) about one version. */
export interface ComplianceFindingRef {
  id: string;
  message: { zh: string; en: string };
  /** Present when the compliance library reports it: privacy findings are for the reviewer to decide. */
  category?: string;
}

export interface ComplianceVerdict {
  blocking: ComplianceFindingRef[];
  warnings: ComplianceFindingRef[];
}

/**
 * When the check runs: on submit, personal data does not stop the manuscript (the reviewer decides
 * whether it is intended); on approval and before publishing it blocks unless acknowledged.
 */
export interface ComplianceCheckOptions {
  phase: 'submit' | 'approve' | 'publish' | 'preview';
  acknowledged?: readonly string[];
}

export interface ComplianceSubject {
  title: string;
  summary: string;
  bodyHtml: string;
  source: { type: 'original' | 'reprint'; unitName?: string; url?: string };
  unitPath: string;
}

/**
 * The port to the compliance checks: run on submit and again before publishing. The default
 * finds nothing, until the compliance library is bound.
 */
export abstract class ComplianceGate {
  abstract check(subject: ComplianceSubject, opts?: ComplianceCheckOptions): Promise<ComplianceVerdict>;
}

export class NoComplianceGate extends ComplianceGate {
  async check(): Promise<ComplianceVerdict> {
    return { blocking: [], warnings: [] };
  }
}
