import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /**
   * Names of the units on a materialized path (the unit and every unit above it): what a unit
   * reprints from its own superiors needs no lexicon entry to count as a designated source.
   */
  async unitNamesOnPath(unitPath: string | null | undefined): Promise<string[]> {
    const ids = (unitPath ?? '').split('/').filter(Boolean);
    if (!ids.length) return [];
    const rows = (await this.ds.query(`SELECT name FROM unit WHERE id IN (${ids.map(() => '?').join(',')})`, ids)) as { name: string }[];
    return rows.map((r) => r.name);
  }

  async check(input: CheckInput): Promise<CheckResult> {
    const lexicon = await this.registry.current();
    return runCheck(lexicon, input, { today: this.clock.now() });
  }

  /** The image hook alone, for when renditions know their images and target platforms. */
  checkImages(images: readonly ImageDescriptor[], targets: readonly PlatformImageLimits[]): Finding[] {
    return checkImages(images, targets);
  }
}
