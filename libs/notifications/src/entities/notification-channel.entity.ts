import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { VaultAlgorithm } from '@tongfa/accounts';

/** The group bots a unit can send to. */
export enum BotProvider {
  /** 政务微信 / 企业微信 group bot: webhook/send?key=… */
  WeCom = 'wecom',
  /** 钉钉 custom robot: robot/send?access_token=…, optionally signed (加签). */
  DingTalk = 'dingtalk',
}

/**
 * A unit's bot (a 政务微信 or 钉钉 group) that hears of the unit's notifications of chosen kinds.
 * The webhook key / access token and signing secret are sealed by the credential vault (bound to
 * the channel id) and never returned; the console shows the last four characters only.
 */
@Entity('notification_channel')
@Index('idx_notification_channel_unit', ['unitId'])
export class NotificationChannel {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 16 })
  provider: BotProvider;

  @Column('varchar', { length: 64 })
  name: string;

  /** Notification kinds sent to the group. */
  @Column('simple-json')
  kinds: string[];

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column('varchar', { length: 64 })
  keyId: string;

  @Column('varchar', { length: 32 })
  algorithm: VaultAlgorithm;

  /** `{key}` (WeCom) or `{accessToken, signSecret?}` (DingTalk), sealed. */
  @Column('text')
  sealed: string;

  /** The last four characters of the key / token, to tell channels apart. */
  @Column('varchar', { length: 8 })
  secretTail: string;

  @Column('boolean', { default: false })
  signed: boolean;

  @Column('varchar', { length: 36 })
  createdBy: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
