import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Brackets, DataSource } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { JobHandler } from '@tongfa/jobs';
import { Media, MEDIA_INCOMING_DIR, MediaStore } from '@tongfa/media';
import { SpotCheckFinding, SpotCheckRound, SpotCheckSample } from './entities';
import { HeadlessBrowser } from './headless-browser';
import { SupervisionException } from './supervision.exception';

/** Pages one sweep photographs; at most SNAPSHOT_CONCURRENCY browser pages are open at once. */
const BATCH = 10;
export const SNAPSHOT_CONCURRENCY = 2;
const TIMEOUT_MS = 20_000;
/** A claimed row not finished by then (the process died) is taken again by a later sweep. */
const LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 3;
const RETRY_MS = 10 * 60_000;

/**
 * Snapshots of the drawn accounts' public pages (headless Chromium), a job and never part of the
 * request: each drawn account with a public page is a `pending` row with a due time; the sweep claims
 * a batch (conditional update, so two workers never take the same row), photographs it with bounded
 * concurrency, stores the PNG as media of the account's unit and references it from the account's
 * findings. Failures retry a few times, then stay `failed` with the reason.
 */
@Injectable()
export class SnapshotsService {
  private readonly logger = new Logger('SnapshotsService');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly browser: HeadlessBrowser,
    private readonly store: MediaStore,
    @Inject(MEDIA_INCOMING_DIR) private readonly incomingDir: string,
  ) {}

  @JobHandler('supervision.snapshot-sweep')
  async handleSweep(): Promise<void> {
    while ((await this.sweep()) > 0);
  }

  /** Takes one batch of due snapshots; returns how many rows it claimed. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const repo = this.ds.getRepository(SpotCheckSample);
    const due = await repo
      .createQueryBuilder('s')
      .where("s.snapshotState IN ('pending', 'taking') AND s.nextSnapshotAt <= :now", { now })
      .orderBy('s.nextSnapshotAt', 'ASC')
      .addOrderBy('s.accountId', 'ASC')
      .take(BATCH)
      .getMany();
    const claimed: SpotCheckSample[] = [];
    for (const s of due) {
      const res = await repo
        .createQueryBuilder()
        .update(SpotCheckSample)
        .set({ snapshotState: 'taking', snapshotAttempts: s.snapshotAttempts + 1, nextSnapshotAt: new Date(now.getTime() + LEASE_MS) })
        .where('roundId = :r AND accountId = :a AND snapshotAttempts = :n', { r: s.roundId, a: s.accountId, n: s.snapshotAttempts })
        .andWhere(new Brackets((w) => w.where("snapshotState IN ('pending', 'taking')")))
        .execute();
      if (res.affected) claimed.push({ ...s, snapshotAttempts: s.snapshotAttempts + 1 });
    }
    if (!claimed.length) return 0;
    let shots: (Buffer | Error)[];
    try {
      shots = await this.browser.screenshots(
        claimed.map((s) => s.pageUrl!),
        { concurrency: SNAPSHOT_CONCURRENCY, timeoutMs: TIMEOUT_MS },
      );
    } catch (e) {
      // No browser: every claimed row waits for the next try with the reason.
      const reason = e instanceof SupervisionException ? e.text('zh') : e instanceof Error ? e.message : String(e);
      shots = claimed.map(() => new Error(reason));
    }
    const rounds = new Map<string, SpotCheckRound | null>();
    for (const [i, s] of claimed.entries()) {
      const shot = shots[i]!;
      if (shot instanceof Error) {
        const failed = s.snapshotAttempts >= MAX_ATTEMPTS;
        await repo.update(
          { roundId: s.roundId, accountId: s.accountId },
          {
            snapshotState: failed ? 'failed' : 'pending',
            nextSnapshotAt: failed ? null : new Date(now.getTime() + RETRY_MS),
            snapshotError: shot.message.slice(0, 500),
          },
        );
        continue;
      }
      try {
        if (!rounds.has(s.roundId)) rounds.set(s.roundId, await this.ds.getRepository(SpotCheckRound).findOneBy({ id: s.roundId }));
        const media = await this.storePng(shot, s, rounds.get(s.roundId)?.createdBy ?? 'system');
        const takenAt = this.clock.now();
        await this.ds.transaction(async (m) => {
          await m.update(
            SpotCheckSample,
            { roundId: s.roundId, accountId: s.accountId },
            { snapshotState: 'done', snapshotMediaId: media.id, snapshotAt: takenAt, nextSnapshotAt: null, snapshotError: null },
          );
          const findings = await m.find(SpotCheckFinding, { where: { roundId: s.roundId, accountId: s.accountId } });
          for (const f of findings) {
            await m.update(
              SpotCheckFinding,
              { id: f.id },
              { evidence: { ...f.evidence, snapshot: { mediaId: media.id, url: s.pageUrl, takenAt: takenAt.toISOString() } } },
            );
          }
        });
      } catch (e) {
        this.logger.warn(`snapshot of ${s.accountId} not stored: ${e instanceof Error ? e.message : String(e)}`);
        await repo.update(
          { roundId: s.roundId, accountId: s.accountId },
          { snapshotState: 'pending', nextSnapshotAt: new Date(now.getTime() + RETRY_MS), snapshotError: 'storing the snapshot failed' },
        );
      }
    }
    return claimed.length;
  }

  /** The PNG as media of the account's unit, like an upload (a generated key, its hash and size). */
  private async storePng(png: Buffer, s: SpotCheckSample, uploaderId: string): Promise<Media> {
    const id = newId();
    const key = `${id}.png`;
    await mkdir(this.incomingDir, { recursive: true });
    const tmp = join(this.incomingDir, `tongfa-snapshot-${id}.png`);
    await writeFile(tmp, png);
    try {
      await this.store.putFile(key, tmp);
    } finally {
      await rm(tmp, { force: true });
    }
    // PNG: width and height are the IHDR chunk's first two big-endian words.
    const media = this.ds.getRepository(Media).create({
      id,
      unitId: s.unitId,
      unitPath: s.unitPath,
      uploaderId,
      kind: 'image',
      mime: 'image/png',
      ext: 'png',
      bytes: png.length,
      width: png.length > 24 ? png.readUInt32BE(16) : null,
      height: png.length > 24 ? png.readUInt32BE(20) : null,
      durationSec: null,
      originalName: `snapshot-${s.platform}-${s.accountId}.png`,
      caption: `抽查快照：${s.accountName}`.slice(0, 200),
      alt: `${s.accountName} 的公开主页截图`.slice(0, 200),
      sha256: createHash('sha256').update(png).digest('hex'),
      storageKey: key,
    });
    try {
      await this.ds.getRepository(Media).insert(media);
    } catch (e) {
      await this.store.delete(key).catch(() => undefined);
      throw e;
    }
    return media;
  }
}
