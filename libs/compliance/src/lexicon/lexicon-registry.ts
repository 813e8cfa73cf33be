import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@tongfa/core';
import { CompiledLexicon } from '../engine/compiled-lexicon';
import { LexiconEntry, LexiconStatus, LexiconVersion } from '../entities';
import { ComplianceError, ComplianceException } from '../compliance.exception';

/** How long a process trusts its compiled lexicon before asking the database for the newest id. */
export const LEXICON_REFRESH_MS = 3000;

/**
 * The compiled form of the latest published lexicon, one per process. Compiling a large lexicon
 * takes a moment, so it happens once per version; whether a newer version exists is one indexed
 * single-row query, asked at most every LEXICON_REFRESH_MS (and at once after a local publish),
 * which is how every hub and worker process picks up a publication within seconds.
 */
@Injectable()
export class LexiconRegistry {
  private readonly logger = new Logger('LexiconRegistry');
  private compiled: { id: string; lexicon: CompiledLexicon } | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<CompiledLexicon> | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async current(): Promise<CompiledLexicon> {
    if (this.compiled && this.clock.now().getTime() - this.checkedAt < LEXICON_REFRESH_MS) return this.compiled.lexicon;
    // Callers arriving during a refresh share it rather than compiling the same version twice.
    this.loading ??= this.refresh().finally(() => (this.loading = null));
    return this.loading;
  }

  /** Forget the freshness of the cached version (after a publish in this process). */
  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  private async refresh(): Promise<CompiledLexicon> {
    const now = this.clock.now().getTime();
    const head = await this.ds.getRepository(LexiconVersion).findOne({
      where: { status: LexiconStatus.Published },
      order: { number: 'DESC' },
      select: ['id', 'number'],
    });
    if (!head) throw new ComplianceException(ComplianceError.NoPublishedLexicon);
    if (this.compiled?.id !== head.id) {
      const entries = await this.ds.getRepository(LexiconEntry).find({ where: { versionId: head.id }, order: { seq: 'ASC' } });
      const started = Date.now();
      this.compiled = { id: head.id, lexicon: CompiledLexicon.compile(head.number, entries) };
      this.logger.log(`lexicon version ${head.number} compiled: ${entries.length} entries in ${Date.now() - started} ms`);
    }
    this.checkedAt = now;
    return this.compiled.lexicon;
  }
}
