/** What the review needs to know from the compliance checks (五关) about one version. */
export interface ComplianceVerdict {
  blocking: { id: string; message: { zh: string; en: string } }[];
  warnings: { id: string; message: { zh: string; en: string } }[];
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
  abstract check(subject: ComplianceSubject): Promise<ComplianceVerdict>;
}

export class NoComplianceGate extends ComplianceGate {
  async check(): Promise<ComplianceVerdict> {
    return { blocking: [], warnings: [] };
  }
}
