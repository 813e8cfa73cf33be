import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Unit } from '@tongfa/identity';
import { QaEntry, QaEntryVersion, QaSynonym } from './entities';
import { QaEntriesService } from './qa-entries.service';
import { readSequence, SEARCH_SEQUENCE, SYNONYM_SEQUENCE } from './qa-sequence';
import { QaIndexDoc, QaSearchIndex, SynonymGroup } from './search';

/** How often every hub asks the database whether search must change. */
export const QA_INDEX_POLL_MS = 1000;
/**
 * How long a search waits for the first index build of a freshly started hub before answering 503
 * QA_INDEX_BUILDING: long enough to hide a small library's build, short enough that a website's
 * chatbot gets a clear "retry shortly" rather than a hanging request while 100,000 entries load.
 */
export const QA_INDEX_WAIT_MS = 3000;
/** Entries analysed or added between two yields to the event loop while (re)building: about 35 ms of CPU
 * at 100,000 entries, so a request arriving during a build waits little more than that (and GC). */
const BUILD_CHUNK = 100;

/** The plain text of sanitized answer HTML, for the index. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function indexDoc(entry: QaEntry, live: QaEntryVersion, unitPath = entry.unitPath): QaIndexDoc {
  return {
    entryId: entry.id,
    unitId: entry.unitId,
    unitPath,
    overridesEntryId: live.overridesEntryId,
    question: live.question,
    similarQuestions: live.similarQuestions,
    keywords: live.keywords,
    answerText: htmlText(live.answerHtml),
    category: live.categoryId ?? undefined,
    effectiveFrom: live.effectiveFrom,
    effectiveUntil: live.effectiveUntil,
  };
}

/**
 * Keeps this process's in-process index (QaSearchIndex) equal to the database: built at start,
 * then every second the 'search' sequence is compared with the highest this process has applied
 * and the entries above it are re-read (the database decides; no message can be lost). The
 * synonym table and unit moves (a subtree's paths rewritten) rebuild the index.
 */
@Injectable()
export class QaIndexSync implements OnApplicationBootstrap, OnApplicationShutdown {
  /** The index to search; replaced whole by a rebuild (built off to the side first). */
  get index(): QaSearchIndex {
    return this.current;
  }

  private current = new QaSearchIndex({ synonyms: [] });
  private seq = 0;
  private synonymSeq = -1;
  private unitsSeen = '';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly logger = new Logger('QaIndexSync');
  private built = false;
  private markBuilt!: () => void;
  private readonly firstBuild = new Promise<void>((resolve) => (this.markBuilt = resolve));
  /**
   * Awaited before each full build reads the database. A seam for tests that must see the hub
   * while its index is still building (a real 100,000-entry library takes too long for a test).
   */
  beforeBuild: () => Promise<void> = () => Promise.resolve();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly entries: QaEntriesService,
  ) {}

  onApplicationBootstrap(): void {
    // The hub serves at once: the first build runs in the background, in slices that give the
    // event loop back, and only /qa/search waits for it (see ready()). Readiness does not include
    // it: every other route works, and a province restarting all its hubs would otherwise be
    // without publishing for the length of a build. Should the database not answer yet, the timer
    // below retries every second.
    void this.refresh().catch((e) => this.logger.warn(`index build failed, retrying: ${String(e)}`));
    // A timer, not a job: every process keeps its own copy, and a missed tick is caught by the next.
    this.timer = setInterval(
      () => void this.refresh().catch((e) => this.logger.warn(`index refresh failed: ${String(e)}`)),
      QA_INDEX_POLL_MS,
    );
    this.timer.unref();
  }

  /** Whether the first build has finished (before it, the index is empty, not the library). */
  get isBuilt(): boolean {
    return this.built;
  }

  /** The index once the first build is done, waiting at most `waitMs`; null if it is still building. */
  async ready(waitMs = QA_INDEX_WAIT_MS): Promise<QaSearchIndex | null> {
    if (this.built) return this.current;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([this.firstBuild, timeout]).finally(() => clearTimeout(timer));
    return this.built ? this.current : null;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Brings the index up to date now (one refresh at a time). */
  refresh(): Promise<void> {
    this.running ??= this.doRefresh().finally(() => (this.running = null));
    return this.running;
  }

  private async doRefresh(): Promise<void> {
    const synonymSeq = await readSequence(this.ds.manager, SYNONYM_SEQUENCE);
    const unitsMark = await this.unitsMark();
    if (synonymSeq !== this.synonymSeq || unitsMark !== this.unitsSeen) {
      await this.beforeBuild();
      // Read the sequence first: whatever commits later has a higher number and is read next time.
      const before = await readSequence(this.ds.manager, SEARCH_SEQUENCE);
      const rows = await this.ds.getRepository(QaSynonym).find({ order: { sortOrder: 'ASC' } });
      const groups: SynonymGroup[] = rows.map((r) => ({ terms: r.terms }));
      const { entries, versions, maxSeq } = await this.entries.changedSince(0);
      const fresh = new QaSearchIndex({ synonyms: groups });
      const started = Date.now();
      await fresh.replaceAllInChunks(
        entries.filter((e) => e.liveVersionId && versions.has(e.liveVersionId)).map((e) => indexDoc(e, versions.get(e.liveVersionId!)!)),
        BUILD_CHUNK,
      );
      this.current = fresh;
      if (!this.built) {
        this.built = true;
        this.markBuilt();
        this.logger.log(`index built: ${fresh.size} entries in ${Date.now() - started} ms`);
      }
      this.synonymSeq = synonymSeq;
      this.unitsSeen = unitsMark;
      this.seq = Math.max(maxSeq, before);
      return;
    }
    const { entries, versions, maxSeq } = await this.entries.changedSince(this.seq);
    for (const e of entries) {
      const live = e.liveVersionId ? versions.get(e.liveVersionId) : undefined;
      if (live) this.index.add(indexDoc(e, live));
      else this.index.remove(e.id);
    }
    this.seq = maxSeq;
  }

  /**
   * A fingerprint of every unit's path: a move (机构改革) rewrites the entries' path copies without
   * touching the search sequence, and the rebuild it triggers picks the new paths up. Timestamps
   * are no signal here (a path rewrite need not change them), so the paths themselves are hashed;
   * a province has a few thousand units.
   */
  private async unitsMark(): Promise<string> {
    // Raw rows: this runs every QA_INDEX_POLL_MS in every hub, and hydrating a province's 10,000
    // units as entities each second took a visible share of the hub's CPU under list load.
    const unit = this.ds.driver.escape(this.ds.getMetadata(Unit).tableName);
    const rows: { path: string }[] = await this.ds.query(
      `SELECT ${this.ds.driver.escape('path')} AS path FROM ${unit} ORDER BY ${this.ds.driver.escape('id')}`,
    );
    let h = 0x811c9dc5;
    for (const r of rows) {
      for (let i = 0; i < r.path.length; i++) h = Math.imul(h ^ r.path.charCodeAt(i), 0x01000193) >>> 0;
    }
    return `${rows.length}:${h.toString(16)}`;
  }
}
