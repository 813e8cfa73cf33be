import { Injectable } from '@nestjs/common';
import { Clock } from '@tongfa/core';
import { CheckResult } from './finding';
import { CheckInput, runCheck } from './engine/checker';
import { checkImages, ImageDescriptor, PlatformImageLimits } from './engine/images';
import { LexiconRegistry } from './lexicon/lexicon-registry';
import { Finding } from './finding';

/**
 * The five checks (五关) against the latest published lexicon. Callers (the editor's live check,
 * submission, the last check before publishing) pass the manuscript's fields; the result says
 * whether it may go on and which lexicon version decided.
 */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly registry: LexiconRegistry,
    private readonly clock: Clock,
  ) {}

  async check(input: CheckInput): Promise<CheckResult> {
    const lexicon = await this.registry.current();
    return runCheck(lexicon, input, { today: this.clock.now() });
  }

  /** The image hook alone, for when renditions know their images and target platforms. */
  checkImages(images: readonly ImageDescriptor[], targets: readonly PlatformImageLimits[]): Finding[] {
    return checkImages(images, targets);
  }
}
