import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const RULE_STATES = ['ok', 'warning', 'breach', 'unknown'] as const;
export type RuleStateValue = (typeof RULE_STATES)[number];

/**
 * Where one account stands against one inspection rule, with the evidence that decided it and the
 * rule set (and version) that evaluated it. A change of state or warning step raises a duty alert.
 */
@Entity('monitoring_rule_state')
// The dashboard's rule filter: equality on rule and state, then the subtree's path range.
@Index('idx_rule_state_rule', ['ruleId', 'state', 'unitPath'])
export class RuleState {
  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  @PrimaryColumn('varchar', { length: 64 })
  ruleId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 8 })
  state: RuleStateValue;

  /** The warning step reached (e.g. day 7, 10 or 13 of silence); null outside warnings. */
  @Column('int', { nullable: true })
  step: number | null;

  /** Since when the account has been in this state (and step). */
  @Column('datetime', { precision: 6 })
  since: Date;

  @Column('simple-json')
  evidence: Record<string, unknown>;

  @Column('varchar', { length: 64 })
  ruleSet: string;

  @Column('varchar', { length: 32 })
  ruleSetVersion: string;

  @Column('datetime', { precision: 6 })
  evaluatedAt: Date;
}
