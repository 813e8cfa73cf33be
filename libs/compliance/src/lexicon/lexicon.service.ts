import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Clock, CommonError, CommonException, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { containsPattern, LIKE_ESCAPE } from '@tongfa/database';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { LexiconEntry, LexiconStatus, LexiconVersion } from '../entities';
import { ComplianceError, ComplianceException } from '../compliance.exception';
import { normalizeTerm } from '../text/normalize';
import { DEFAULT_LEXICON } from './default-lexicon';
import { LexiconKind, LexiconTerm } from './lexicon-kind';
import { parseLexiconList } from './lexicon-import';
import { LexiconRegistry } from './lexicon-registry';

export interface ImportOptions {
  kind: LexiconKind;
  /** append (default): the list adds to and overrides the kind's entries; replace: the list becomes the kind's entries. */
  mode?: 'append' | 'replace';
  note?: string | null;
}

export interface ImportResult {
  version: LexiconVersion;
  imported: number;
}

export interface EntryQuery extends PageQuery {
  kind?: LexiconKind;
  q?: string;
}

const INSERT_CHUNK = 500;

/** The province's lexicon: versions, imports into drafts, publication, and the default seed. */
@Injectable()
export class LexiconService {
  private readonly logger = new Logger('Lexicon');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly registry: LexiconRegistry,
  ) {}

  async list(actor: Actor, q: PageQuery): Promise<Page<LexiconVersion>> {
    await this.assertManager(actor);
    const [items, total] = await this.ds.getRepository(LexiconVersion).findAndCount({ order: { number: 'DESC' }, ...pageOffset(q) });
    return { items, total };
  }

  async get(actor: Actor, id: string): Promise<LexiconVersion> {
    await this.assertManager(actor);
    return this.version(this.ds.manager, id);
  }

  async entries(actor: Actor, id: string, q: EntryQuery): Promise<Page<LexiconEntry>> {
    await this.assertManager(actor);
    await this.version(this.ds.manager, id);
    const qb = this.ds.getRepository(LexiconEntry).createQueryBuilder('e').where('e.versionId = :id', { id });
    if (q.kind) qb.andWhere('e.kind = :kind', { kind: q.kind });
    if (q.q) qb.andWhere(`(e.term LIKE :p ${LIKE_ESCAPE} OR e.replacement LIKE :p ${LIKE_ESCAPE})`, { p: containsPattern(q.q) });
    const { skip, take } = pageOffset(q);
    const [items, total] = await qb.orderBy('e.seq', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items, total };
  }

  /**
   * Makes a new draft: the newest version's entries with the list applied. Every line is checked
   * first; one bad line rejects the list with every error by line number, and nothing is written.
   */
  async import(actor: Actor, opts: ImportOptions, text: string): Promise<ImportResult> {
    await this.assertManager(actor);
    const parsed = parseLexiconList(opts.kind, text);
    if (parsed.errors.length) {
      throw new ComplianceException(ComplianceError.LexiconListInvalid, { count: parsed.errors.length }, parsed.errors.slice(0, 100));
    }
    if (parsed.terms.length === 0) throw new ComplianceException(ComplianceError.LexiconListEmpty);
    // The version number is unique: a concurrent import that took the same number fails the
    // insert, and this one retries on top of it, so neither list is lost.
    for (let attempt = 1; ; attempt++) {
      try {
        const version = await this.ds.transaction((m) => this.writeDraft(m, actor, opts, parsed.terms));
        this.logger.log(`lexicon draft ${version.number} (${opts.kind}, ${parsed.terms.length} terms)`);
        return { version, imported: parsed.terms.length };
      } catch (e) {
        if (attempt >= 3 || !isUniqueViolation(e)) throw e;
      }
    }
  }

  private async writeDraft(m: EntityManager, actor: Actor, opts: ImportOptions, terms: LexiconTerm[]): Promise<LexiconVersion> {
    const base = await m.getRepository(LexiconVersion).findOne({ where: {}, order: { number: 'DESC' } });
    const previous = base ? await m.getRepository(LexiconEntry).find({ where: { versionId: base.id }, order: { seq: 'ASC' } }) : [];
    const key = (t: { kind: string; term: string }) => `${t.kind}\u0000${normalizeTerm(t.term) || t.term.toLowerCase()}`;
    const incoming = new Set(terms.map(key));
    const kept = previous.filter((e) => (opts.mode === 'replace' ? e.kind !== opts.kind : !incoming.has(key(e))));
    const merged: LexiconTerm[] = [...kept, ...terms];
    const version = m.create(LexiconVersion, {
      id: newId(),
      number: (base?.number ?? 0) + 1,
      status: LexiconStatus.Draft,
      basedOnId: base?.id ?? null,
      entryCount: merged.length,
      note: opts.note ?? null,
      createdBy: actor.userId,
      createdAt: this.clock.now(),
      publishedBy: null,
      publishedAt: null,
    });
    await m.insert(LexiconVersion, version);
    await insertEntries(m, version.id, merged);
    return version;
  }

  /** Publishes a draft: from the next check on (within seconds in every process) it is the lexicon. */
  async publish(actor: Actor, id: string): Promise<LexiconVersion> {
    await this.assertManager(actor);
    const version = await this.ds.transaction(async (m) => {
      const v = await this.version(m, id, true);
      if (v.status === LexiconStatus.Published)
        throw new ComplianceException(ComplianceError.LexiconAlreadyPublished, { number: v.number });
      const latest = await m
        .getRepository(LexiconVersion)
        .findOne({ where: { status: LexiconStatus.Published }, order: { number: 'DESC' } });
      if (latest && latest.number > v.number) {
        throw new ComplianceException(ComplianceError.LexiconSuperseded, { number: v.number, latest: latest.number });
      }
      // The status guard makes a concurrent second publish of the same draft update nothing.
      const res = await m.update(
        LexiconVersion,
        { id, status: LexiconStatus.Draft },
        { status: LexiconStatus.Published, publishedAt: this.clock.now(), publishedBy: actor.userId },
      );
      if (!res.affected) throw new ComplianceException(ComplianceError.LexiconAlreadyPublished, { number: v.number });
      return m.getRepository(LexiconVersion).findOneByOrFail({ id });
    });
    // The publisher's next check uses the new version: wait until it is compiled (in a worker
    // thread, so other requests go on meanwhile). Other processes pick it up on their next look.
    try {
      await this.registry.reload();
    } catch (err) {
      this.logger.error(`lexicon version ${version.number} published but not yet compiled here: ${String(err)}`);
    }
    return version;
  }

  /**
   * Publishes the default lexicon as version 1 when there is no version at all (a new
   * installation, any mode). Processes starting together race on the unique number; the losers
   * find the winner's version.
   */
  async ensureSeeded(): Promise<void> {
    if ((await this.ds.getRepository(LexiconVersion).count()) > 0) return;
    try {
      await this.ds.transaction(async (m) => {
        const now = this.clock.now();
        const id = newId();
        await m.insert(LexiconVersion, {
          id,
          number: 1,
          status: LexiconStatus.Published,
          basedOnId: null,
          entryCount: DEFAULT_LEXICON.length,
          note: '默认词库（通用样例，请按本省名录维护）/ default lexicon',
          createdBy: null,
          createdAt: now,
          publishedBy: null,
          publishedAt: now,
        });
        await insertEntries(m, id, DEFAULT_LEXICON);
      });
      this.logger.log(`default lexicon published as version 1 (${DEFAULT_LEXICON.length} entries)`);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }

  private async version(m: EntityManager, id: string, lock = false): Promise<LexiconVersion> {
    const v = await m.getRepository(LexiconVersion).findOne({
      where: { id },
      ...(lock && m.connection.options.type !== 'better-sqlite3' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!v) throw new ComplianceException(ComplianceError.LexiconNotFound);
    return v;
  }

  /** One lexicon per province: managed only by a role held at the root unit. */
  /** Who may change the lexicon: asked before an imported list is read. */
  assertCanManage(actor: Actor): Promise<void> {
    return this.assertManager(actor);
  }

  private async assertManager(actor: Actor): Promise<void> {
    if (!actor.can(Permission.LexiconManage)) throw new CommonException(CommonError.Forbidden);
    const root = await this.ds.getRepository(Unit).findOne({ where: { parentId: IsNull() }, select: ['id', 'path'] });
    if (!root || !actor.canAt(Permission.LexiconManage, root.path)) throw new ComplianceException(ComplianceError.LexiconRootOnly);
  }
}

async function insertEntries(m: EntityManager, versionId: string, terms: readonly LexiconTerm[]): Promise<void> {
  for (let i = 0; i < terms.length; i += INSERT_CHUNK) {
    const rows = terms.slice(i, i + INSERT_CHUNK).map((t, k) => ({
      versionId,
      seq: i + k + 1,
      kind: t.kind,
      term: t.term,
      replacement: t.replacement ?? null,
      severity: t.severity ?? null,
      note: t.note ?? null,
    }));
    await m.createQueryBuilder().insert().into(LexiconEntry).values(rows).execute();
  }
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  const code = err.driverError?.code ?? err.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}
