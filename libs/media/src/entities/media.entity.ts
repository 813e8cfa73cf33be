import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type MediaKind = 'image' | 'video';

/** An uploaded file. Stored under its id, never under the name the client sent. */
@Entity('media')
@Index('idx_media_unit_path', ['unitPath', 'createdAt'])
export class Media {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  uploaderId: string;

  @Column('varchar', { length: 8 })
  kind: MediaKind;

  /** Sniffed from the content, not taken from the client. */
  @Column('varchar', { length: 64 })
  mime: string;

  @Column('varchar', { length: 8 })
  ext: string;

  @Column('int')
  bytes: number;

  @Column('int', { nullable: true })
  width: number | null;

  @Column('int', { nullable: true })
  height: number | null;

  /** Videos: length in seconds, read from the MP4's movie header. */
  @Column('float', { nullable: true })
  durationSec: number | null;

  /** The client's file name, for display only (trimmed, never used as a path). */
  @Column('varchar', { length: 255, nullable: true })
  originalName: string | null;

  /** Shown under the image where it is used, and what the library's search looks in. */
  @Column('varchar', { length: 200, nullable: true })
  caption: string | null;

  /** Text alternative for readers who cannot see the image; inserted with it into a body. */
  @Column('varchar', { length: 200, nullable: true })
  alt: string | null;

  @Column('varchar', { length: 64 })
  sha256: string;

  @Column('varchar', { length: 255 })
  storageKey: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
