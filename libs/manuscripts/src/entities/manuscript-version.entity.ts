import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { ManuscriptCategory } from './manuscript.entity';

export interface ManuscriptSource {
  type: 'original' | 'reprint';
  unitName?: string;
  url?: string;
}

/**
 * One platform's overrides inside a version (各平台适配): what that platform shows instead of the
 * common text or cover. Reviewed with the version and rendered by the platform's plugin.
 */
export interface PlatformAdaptation {
  /** The whole post text of a short-post platform (Weibo) instead of 【title】summary. */
  text?: string;
  /** The caption of a video or image-text post (Douyin, Toutiao) instead of the title. */
  caption?: string;
  /** This platform's own headline (Toutiao, 南方号) instead of the article's title, within its title limit. */
  title?: string;
  /** This platform's own summary (南方号, the unit's app) instead of the article's, within its summary limit. */
  summary?: string;
  /** Topics the platform shows as #话题#, without the # marks. */
  topics?: string[];
  /** Another of the unit's images as this platform's cover. */
  coverMediaId?: string;
  /** Where the platform's crop is centred, as fractions of the cover's width and height. */
  coverCrop?: { x: number; y: number };
}

/** Per-platform overrides, keyed by plugin id. */
export type Adaptations = Record<string, PlatformAdaptation>;

/** An immutable snapshot: every save makes one; reviews and publications point at one. */
@Entity('manuscript_version')
@Index('uq_manuscript_version', ['manuscriptId', 'number'], { unique: true })
export class ManuscriptVersion {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  manuscriptId: string;

  @Column('int')
  number: number;

  @Column('varchar', { length: 200 })
  title: string;

  @Column('varchar', { length: 1000 })
  summary: string;

  /** Sanitized on the way in: no scripts, no event handlers, no foreign iframes. */
  @Column('text')
  bodyHtml: string;

  @Column('varchar', { length: 16 })
  category: ManuscriptCategory;

  @Column('simple-json')
  source: ManuscriptSource;

  @Column('varchar', { length: 36, nullable: true })
  coverMediaId: string | null;

  @Column('simple-json')
  mediaIds: string[];

  /** Per-platform overrides (各平台适配); null when the version has none. */
  @Column('simple-json', { nullable: true })
  adaptations: Adaptations | null;

  @Column('varchar', { length: 36 })
  authorId: string;

  /** SHA-256 of the content, to tell a real edit from a no-op save. */
  @Column('varchar', { length: 64 })
  contentHash: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
