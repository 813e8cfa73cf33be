import { DataSource, In } from 'typeorm';
import type { JsonValue } from '@tongfa/plugin-sdk';
import { PublicationTarget } from './entities';

interface Save {
  id: string;
  claimedBy: string;
  state: JsonValue;
  resolve: (held: boolean) => void;
  reject: (e: unknown) => void;
}

/**
 * Checkpoints of a worker process's publishes, written by group commit on MariaDB/MySQL: the saves
 * made while a write is in flight go in the next one, one UPDATE for all, each row still conditional
 * on its own claim token. A save resolves once its statement has committed, with whether the row was
 * still this claim's (a plugin must not make its next call otherwise). When the statement changed
 * fewer rows than it named, the rows are read back: a row that still carries its token was written
 * (a token is never given out twice); any other is reported lost — also, conservatively, one whose
 * claim lapsed just after the write. SQLite writes each save on its own (one connection; no gain).
 */
export class CheckpointWriter {
  private pending: Save[] = [];
  private inFlight = false;
  private readonly grouped: boolean;

  constructor(private readonly ds: DataSource) {
    this.grouped = ds.options.type === 'mysql' || ds.options.type === 'mariadb';
  }

  save(id: string, claimedBy: string, state: JsonValue): Promise<boolean> {
    if (!this.grouped) return this.saveOne(id, claimedBy, state);
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ id, claimedBy, state, resolve, reject });
      if (!this.inFlight) {
        this.inFlight = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async saveOne(id: string, claimedBy: string, state: JsonValue): Promise<boolean> {
    const res = await this.ds.getRepository(PublicationTarget).update({ id, claimedBy }, { checkpoint: state as never });
    return !!res.affected;
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      // One save per row: a target saves again only after its last save answered.
      const batch = [...new Map(this.pending.map((s) => [s.id, s])).values()];
      const superseded = this.pending.filter((s) => !batch.includes(s));
      this.pending = [];
      try {
        const held =
          batch.length === 1 ? [await this.saveOne(batch[0]!.id, batch[0]!.claimedBy, batch[0]!.state)] : await this.saveMany(batch);
        batch.forEach((s, i) => s.resolve(held[i]!));
        for (const s of superseded) s.resolve(held[batch.findIndex((b) => b.id === s.id)]!);
      } catch (e) {
        for (const s of [...batch, ...superseded]) s.reject(e);
      }
    }
    this.inFlight = false;
  }

  private async saveMany(batch: Save[]): Promise<boolean[]> {
    const caseOf = (value: (s: Save) => unknown) => {
      const params: unknown[] = [];
      const sql = `CASE \`id\` ${batch.map((s) => (params.push(s.id, value(s)), 'WHEN ? THEN ?')).join(' ')} END`;
      return { sql, params };
    };
    const checkpoint = caseOf((s) => JSON.stringify(s.state));
    const token = caseOf((s) => s.claimedBy);
    const ids = batch.map((s) => s.id);
    const res = (await this.ds.query(
      `UPDATE \`publication_target\` SET \`checkpoint\` = ${checkpoint.sql}, \`updatedAt\` = CURRENT_TIMESTAMP(6) ` +
        `WHERE \`id\` IN (${ids.map(() => '?').join(', ')}) AND \`claimedBy\` = ${token.sql}`,
      [...checkpoint.params, ...ids, ...token.params],
    )) as { affectedRows?: number };
    if (res.affectedRows === batch.length) return batch.map(() => true);
    const rows = await this.ds.getRepository(PublicationTarget).find({ where: { id: In(ids) }, select: { id: true, claimedBy: true } });
    const holder = new Map(rows.map((r) => [r.id, r.claimedBy]));
    return batch.map((s) => holder.get(s.id) === s.claimedBy);
  }
}
