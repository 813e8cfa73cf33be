import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { Role } from '../roles';

/** A role a user holds over a unit's subtree (reviewers also carry a level 1–3). */
@Entity('role_assignment')
@Index('uq_role_assignment', ['userId', 'role', 'unitId'], { unique: true })
// Who holds a role at one unit (the inbox assigns each new thread to the unit's editors in turn).
@Index('idx_role_assignment_unit', ['unitId', 'role'])
export class RoleAssignment {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_role_assignment_user')
  @Column('varchar', { length: 36 })
  userId: string;

  @Column('varchar', { length: 32 })
  role: Role;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Index('idx_role_assignment_unit_path')
  // ASCII: paths are ids, '-' and '/'; a one-byte charset makes subtree scans several times faster on MySQL.
  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('int', { nullable: true })
  level: number | null;

  @Column('varchar', { length: 36, nullable: true })
  grantedBy: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
