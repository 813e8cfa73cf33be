import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Lifecycle of a government account: applying → opened → active → suspended (关停) → cancelled
 * (注销); a rejected application ends at rejected. Changes (变更) of name or subject happen on the
 * way and are filed like the transitions.
 */
export enum AccountStatus {
  Applying = 'applying',
  Rejected = 'rejected',
  Opened = 'opened',
  Active = 'active',
  Suspended = 'suspended',
  Cancelled = 'cancelled',
}

/** Whether Tongfa holds working credentials for the account. */
export enum AccountConnection {
  None = 'none',
  Connected = 'connected',
  NeedsReauth = 'needs_reauth',
}

@Entity('account')
@Index('idx_account_unit_path', ['unitPath', 'platform'])
@Index('idx_account_unit_platform', ['unitId', 'platform'])
// Platform pushes name the account by its platform id: one lookup per push, within the 5 s the platform waits.
@Index('idx_account_platform_id', ['platform', 'platformAccountId'])
export class Account {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  /** The plugin id: weibo, wechat, douyin, toutiao, nanfang, own-app or a third party's. */
  @Column('varchar', { length: 64 })
  platform: string;

  /** The name the unit registered (what the account should be called). */
  @Column('varchar', { length: 100 })
  name: string;

  @Column('varchar', { length: 128, nullable: true })
  platformAccountId: string | null;

  /** The name and verified subject (认证主体) the platform reports: the evidence for naming checks. */
  @Column('varchar', { length: 100, nullable: true })
  profileName: string | null;

  @Column('varchar', { length: 200, nullable: true })
  verifiedSubject: string | null;

  @Column('varchar', { length: 500, nullable: true })
  avatarUrl: string | null;

  @Column('int', { nullable: true })
  followers: number | null;

  @Column('datetime', { precision: 6, nullable: true })
  profileCheckedAt: Date | null;

  @Column('varchar', { length: 16 })
  status: AccountStatus;

  @Column('varchar', { length: 16, default: AccountConnection.None })
  connection: AccountConnection;

  /** Reason a supervisor accepted a second account on the same platform for the unit. */
  @Column('varchar', { length: 500, nullable: true })
  exceptionReason: string | null;

  /** Naming check result: null when not yet checked; otherwise consistent or the list of issues. */
  @Column('simple-json', { nullable: true })
  namingIssues: string[] | null;

  /** Per-account plugin settings (the manifest's `settings`), e.g. the unit's site URL for Weibo links. */
  @Column('simple-json', { nullable: true })
  settings: Record<string, string | number | boolean> | null;

  @Column('datetime', { precision: 6, nullable: true })
  lastPostAt: Date | null;

  /**
   * Endpoint overrides (manifest endpoint name → base URL) used instead of the plugin's own, e.g.
   * the sandbox simulators for demo and test accounts. Null: the platform's real endpoints.
   */
  @Column('simple-json', { nullable: true })
  endpoints: Record<string, string> | null;

  /** The account lives on a sandbox simulator: only then may plugin calls reach loopback hosts. */
  @Column('boolean', { default: false })
  sandbox: boolean;

  @Column('datetime', { precision: 6, nullable: true })
  openedAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  closedAt: Date | null;

  @Column('varchar', { length: 36 })
  createdBy: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
