import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A fact about the installation that, once true, stays true: its row is written once and never
 * deleted by the application. Read by name; the row's existence is the value.
 */
@Entity('system_flag')
export class SystemFlag {
  @PrimaryColumn('varchar', { length: 64 })
  name: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  setAt: Date;
}
