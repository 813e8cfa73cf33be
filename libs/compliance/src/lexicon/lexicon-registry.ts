import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@tongfa/core';
import { CompiledLexicon } from '../engine/compiled-lexicon';
import { compileInWorker } from '../engine/lexicon-compiler';
import { Severity } from '../finding';
import { LexiconKind, LexiconTerm } from './lexicon-kind';
import { LexiconEntry, LexiconStatus, LexiconVersion } from '../entities';
import { ComplianceError, ComplianceException } from '../compliance.exception';

/** How long a process trusts its compiled lexicon before asking the database for the newest id. */
export const LEXICON_REFRESH_MS = 3000;

/** Entries read per query when loading a version (a bounded slice of work per turn of the event loop). */
const LOAD_PAGE = 5000;

/**
 * The compiled form of the latest published lexicon, one per process. Compiling a large lexicon
 * takes seconds of CPU, so it happens once per version and in a worker thread (compileInWorker);
 * whether a newer version exists is one indexed single-row query, asked at most every
 * LEXICON_REFRESH_MS (and at once after a local publish), which is how every hub and worker
 * process picks up a publication within seconds. While a new version compiles, checks keep using
 * the current one; the new one replaces it in one assignment when ready. A local publish waits
 * for its version (reload), so the publisher's next check uses it.
 */
@Injectable()
export class LexiconRegistry {
  private readonly logger = new Logger('LexiconRegistry');
  private compiled: { id: string; number: number; lexicon: CompiledLexicon } | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | null = null;
  private building: { id: string; done: Promise<void> } | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async current(): Promise<CompiledLexicon> {
    if (!this.compiled || this.clock.now().getTime() - this.checkedAt >= LEXICON_REFRESH_MS) {
      // Callers arriving during a check share it rather than asking (or compiling) twice.
      this.checking ??= this.check(false).finally(() => (this.checking = null));
      await this.checking;
    }
    return this.compiled!.lexicon;
  }

  /** Forget the freshness of the cached version (after a publish in this process). */
  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /** Looks for the newest version now and waits until it is compiled and in use. */
  async reload(): Promise<CompiledLexicon> {
    this.invalidate();
    await this.check(true);
    return this.compiled!.lexicon;
  }

  private async check(wait: boolean): Promise<void> {
    const now = this.clock.now().getTime();
    const head = await this.ds.getRepository(LexiconVersion).findOne({
      where: { status: LexiconStatus.Published },
      order: { number: 'DESC' },
      select: ['id', 'number'],
    });
    if (!head) throw new ComplianceException(ComplianceError.NoPublishedLexicon);
    this.checkedAt = now;
    if (this.compiled?.id === head.id) return;
    const done = this.build(head.id, head.number);
    if (wait || !this.compiled) await done;
    else
      done.catch((err: unknown) => {
        // The current version keeps serving; the next look (after LEXICON_REFRESH_MS) tries again.
        this.logger.error(`lexicon version ${head.number} failed to compile: ${String(err)}`);
      });
  }

  /** Compiles a version once, however many callers ask while it is under way. */
  private build(id: string, number: number): Promise<void> {
    if (this.building?.id === id) return this.building.done;
    const done = (async () => {
      const started = Date.now();
      const entries = await this.load(id);
      const lexicon = await compileInWorker(number, entries);
      if (!this.compiled || this.compiled.number < number) this.compiled = { id, number, lexicon };
      this.logger.log(`lexicon version ${number} compiled: ${entries.length} entries in ${Date.now() - started} ms`);
    })().finally(() => {
      if (this.building?.done === done) this.building = null;
    });
    this.building = { id, done };
    return done;
  }

  /** A version's entries as plain rows, page by page (no entity hydration, no single long read). */
  private async load(versionId: string): Promise<LexiconTerm[]> {
    const out: LexiconTerm[] = [];
    let after = -1;
    for (;;) {
      const rows = await this.ds
        .getRepository(LexiconEntry)
        .createQueryBuilder('e')
        .select(['e.seq AS seq', 'e.kind AS kind', 'e.term AS term', 'e.replacement AS replacement', 'e.severity AS severity'])
        .where('e.versionId = :versionId AND e.seq > :after', { versionId, after })
        .orderBy('e.seq', 'ASC')
        .limit(LOAD_PAGE)
        .getRawMany<{ seq: number | string; kind: LexiconKind; term: string; replacement: string | null; severity: Severity | null }>();
      for (const r of rows) out.push({ kind: r.kind, term: r.term, replacement: r.replacement, severity: r.severity });
      if (rows.length < LOAD_PAGE) return out;
      after = Number(rows[rows.length - 1].seq);
    }
  }
}
